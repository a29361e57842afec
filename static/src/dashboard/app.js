// The dashboard: reads the page's address (?wave=KEY, and &group=KEY for a group's page or
// &view=breakdown for the breakdown) and draws the page from the report API.
import { APIError, getJSON, questionnaireURL, reportURL, session } from './api.js'
import { breakdownPage, breakdownWaits, levels } from './breakdown.js'
import { countsPage, notVerified } from './counts.js'
import { h } from './dom.js'
import { groupPage } from './group.js'
import { overview } from './overview.js'
import { heading, problem, setNavigation, wavePicker } from './page.js'
import { palette } from './stages.js'

export async function start () {
  const main = document.getElementById('dashboard')
  const params = new URLSearchParams(window.location.search)
  const wave = (params.get('wave') || '').trim()
  const group = (params.get('group') || '').trim()
  const view = params.get('view') === 'breakdown' ? 'breakdown' : group ? 'group' : 'overview'
  const keep = view === 'breakdown' ? { view: 'breakdown', breakdown: params.get('breakdown') || '', level: params.get('level') || '' } : { group }
  setNavigation(wave, view)
  showAdministration()

  if (!wave) {
    main.replaceChildren(...heading('Maturity dashboard'),
      h('p', { class: 'govuk-body' }, 'Enter the key of the wave whose figures you want to see.'),
      wavePicker({ keep }))
    done(main)
    return
  }

  try {
    if (view === 'breakdown') {
      await showBreakdown(main, wave, params, keep)
    } else {
      const rep = await getJSON(reportURL(wave, { level: 'all' }))
      const pal = palette(rep.stages)
      const picker = wavePicker({ current: wave, keep })
      if (rep.wave.scores_after_closing) {
        countsPage(main, rep, picker, group)
        await listWaves(picker)
      } else if (view === 'group') {
        await groupPage(main, rep, pal, picker, group)
        warnIfNotVerified(main, rep)
      } else {
        overview(main, rep, pal, picker)
        warnIfNotVerified(main, rep)
        await listWaves(picker)
      }
    }
  } catch (e) {
    showError(main, wave, e, keep)
  }
  done(main)
}

// warnIfNotVerified puts the not-verified warning under a page's heading (see counts.js).
function warnIfNotVerified (main, rep) {
  const warning = notVerified(rep)
  if (warning) main.querySelector('h1')?.after(warning)
}

// showAdministration offers administrators the way to the admin pages. It does not hold up the
// figures, and a failure leaves the menu as it is.
function showAdministration () {
  session().then((who) => {
    if (who && who.role === 'admin') document.getElementById('nav-admin')?.removeAttribute('hidden')
  }).catch(() => {})
}

async function showBreakdown (main, wave, params, keep) {
  let questions = []
  try {
    const q = await getJSON(questionnaireURL(wave))
    for (const s of q.survey.sections || []) {
      for (const qu of s.questions || []) if (qu.breakdown) questions.push({ key: qu.key, text: qu.text })
    }
  } catch {
    // The questionnaire is served only while a wave is open; the report still names its breakdown.
  }
  const wanted = params.get('breakdown') || (questions.find((q) => q.key === 'role-type') || questions[0] || { key: 'role-type' }).key
  const level = levels.some((l) => l.key === params.get('level')) ? params.get('level') : 'team'
  const rep = await getJSON(reportURL(wave, { level, breakdown: wanted }))
  if (rep.wave.scores_after_closing) {
    const picker = wavePicker({ current: wave, keep })
    countsPage(main, await getJSON(reportURL(wave, { level: 'all' })), picker, '')
    await listWaves(picker)
    return
  }
  if (rep.wave.breakdowns_after_closing) {
    const picker = wavePicker({ current: wave, keep })
    breakdownWaits(main, rep, picker)
    warnIfNotVerified(main, rep)
    await listWaves(picker)
    return
  }
  if (!questions.some((q) => q.key === rep.breakdown.question)) questions = [{ key: rep.breakdown.question, text: rep.breakdown.text }, ...questions]
  const pal = palette(rep.stages)
  const picker = wavePicker({ current: wave, keep })
  breakdownPage(main, rep, pal, picker, { questions, level })
  warnIfNotVerified(main, rep)
  await listWaves(picker)
}

// listWaves fills the wave picker's list with every wave that has opened (the list comes newest
// first; the picker takes them oldest first).
async function listWaves (picker) {
  try {
    const list = await getJSON('/api/v1/waves')
    picker.setWaves(list.waves.filter((w) => w.state !== 'scheduled').reverse())
  } catch {}
}

function showError (main, wave, e, keep) {
  let title = 'The figures could not be shown'
  let message = e.message
  let fieldError = ''
  if (e instanceof APIError) {
    if (e.code === 'wave_not_found') {
      title = 'There is no such wave'
      message = `No wave has the key “${wave}”. Check the key and try again.`
      fieldError = `No wave has the key “${wave}”`
    } else if (e.code === 'wave_not_open') {
      title = 'This wave has not opened yet'
      message = 'A wave has figures once it has opened.'
    } else if (e.status === 403 || e.status === 401) {
      title = 'You cannot see these figures'
    } else if (e.status === 422 && e.fields) {
      message = Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`).join('; ')
    }
  } else {
    console.error(e)
  }
  main.replaceChildren(...heading('Maturity dashboard'), problem(title, message), wavePicker({ current: wave, error: fieldError, keep }))
  main.querySelector('.govuk-error-summary')?.focus()
}

function done (main) {
  main.dataset.state = 'ready'
}
