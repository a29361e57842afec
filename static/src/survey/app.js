// The survey form of one wave (/waves/{wave}): a landing page (with signing in, for a verified
// wave), the team (or invitation code), one page per section, a page to check the answers before
// sending them, and a confirmation with the respondent's own profile. Everything is drawn from the
// wave's questionnaire (GET /api/v1/waves/{wave}/questionnaire) with GOV.UK Frontend's markup and
// behaviour; progress is kept in the browser (storage.js) so a respondent can leave and come back.
// This file holds the pages' addresses and the start; each screen lives in a file named for it.

import { capitalise } from '../shared/dom.js'
import { request, waveURL } from '../shared/api.js'
import { Model } from './model.js'
import { Progress } from './storage.js'
import { passFor, alreadyAnswered } from './signin.js'
import { st, answers, invite, signedIn, teamChosen } from './state.js'
import { problem, notice } from './page.js'
import { landing } from './landing.js'
import { teamPage, invitationPage } from './team.js'
import { sectionPage } from './sections.js'
import { checkPage } from './check.js'
import { confirmation } from './confirmation.js'

// ---- Pages and addresses ------------------------------------------------------------------------

// A page is 'start', 'team', 'section:<key>', 'check' or 'confirmation'; its address is the hash.
export function hashOf (page) {
  return '#' + (page.startsWith('section:') ? 'section-' + page.slice(8) : page)
}

function pageFromHash () {
  const hash = decodeURIComponent(window.location.hash.slice(1))
  if (['start', 'team', 'check', 'confirmation'].includes(hash)) return hash
  if (hash.startsWith('section-') && st.model.section(hash.slice(8))) return 'section:' + hash.slice(8)
  return null
}

function sectionOfPage (page) {
  return page.startsWith('section:') ? st.model.section(page.slice(8)) : null
}

// reachable turns a page into one the respondent may be on now: sections and the check page need
// a team, and a section all of whose questions are hidden gives way to the next one shown.
export function reachable (page) {
  const p = st.progress
  if (page === 'confirmation') return p.receipt() && !p.started ? page : 'start'
  if (!p.started) return 'start'
  if (page === 'start' || page === 'team') return page
  if (!teamChosen()) return 'team'
  if (page === 'check') return page
  const section = sectionOfPage(page)
  const visible = st.model.visibleSections(answers())
  if (!section) return visible.length ? 'section:' + visible[0].key : 'team'
  if (visible.includes(section)) return page
  const all = st.questionnaire.survey.sections
  const after = visible.find((v) => all.indexOf(v) > all.indexOf(section))
  const last = visible[visible.length - 1]
  return 'section:' + (after || last).key
}

// go shows a page, recording it in the browser's history and in the saved progress.
export function go (page, opts = {}) {
  remember(page)
  if (opts.replace) window.history.replaceState({ page }, '', hashOf(page))
  else window.history.pushState({ page }, '', hashOf(page))
  render(page, opts)
}

// remember keeps the page to come back to; the landing page is not one, so "Continue where you
// left off" there still knows where that was.
function remember (page) {
  const p = st.progress
  if (!p.started || page === 'start' || page === 'confirmation') return
  p.data.page = page
  p.save()
}

function onPopState () {
  const wanted = pageFromHash()
  if (!wanted) return // an in-page link, such as one in the error summary
  const page = reachable(wanted)
  if (page !== wanted) window.history.replaceState({ page }, '', hashOf(page))
  remember(page)
  render(page, {})
}

function render (page, opts) {
  if (page === 'start') return landing()
  if (page === 'team') return invite() ? invitationPage(opts) : teamPage(opts)
  if (page === 'check') return checkPage(opts)
  if (page === 'confirmation') return confirmation()
  const section = sectionOfPage(page)
  if (section) return sectionPage(section, opts)
  return landing()
}

// ---- Start --------------------------------------------------------------------------------------

export async function start () {
  st.wave = decodeURIComponent(window.location.pathname.split('/').filter(Boolean)[1] || '')
  st.api = waveURL(st.wave, '').replace(/\/$/, '')
  let res
  try {
    res = await request(waveURL(st.wave, 'questionnaire'))
  } catch {
    return problem('Sorry, we could not load the survey', 'Check your internet connection, then try again.', () => window.location.reload())
  }
  const data = res.body
  if (!res.ok || !data || !data.survey) {
    const error = (data && data.error) || {}
    if (res.status === 404) return notice('Survey not found', ['There is no survey at this address. Check the link you were sent.'])
    if (res.status === 409) return notice('This survey is not taking answers', [capitalise(error.message || 'this survey is closed') + '.'])
    return problem('Sorry, there is a problem with the service', 'Try again later.', () => window.location.reload())
  }
  st.questionnaire = data
  st.model = new Model(data.survey)
  st.progress = new Progress(st.wave, data.survey.version)
  const name = document.getElementById('service-name')
  if (name) name.textContent = data.survey.title
  const resumed = st.progress.load()
  window.addEventListener('popstate', onPopState)
  const wanted = pageFromHash()
  if (wanted === 'confirmation' && st.progress.receipt() && !resumed) return go('confirmation', { replace: true })
  st.progress.clearReceipt()
  if (data.wave.mode === 'verified') {
    try {
      st.pass = await passFor(st.api)
    } catch {
      return problem('Sorry, we could not check whether you are signed in', 'Check your internet connection, then try again.', () => window.location.reload())
    }
    if (st.pass.answered) {
      st.progress.clear()
      return notice('You have already answered this survey', alreadyAnswered)
    }
  }
  // A verified wave's respondent starts (or carries on) once signed in; until then, the landing page.
  const page = resumed && signedIn() ? reachable(st.progress.data.page || 'team') : 'start'
  go(page, { replace: true, resumed: resumed && page.startsWith('section:') })
}
