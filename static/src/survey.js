// The survey form of one wave (/waves/{wave}): a landing page (with signing in, for a verified
// wave), the team (or invitation code), one page per section, and a confirmation with the
// respondent's own profile. Everything is drawn here
// from the wave's questionnaire (GET /api/v1/waves/{wave}/questionnaire), with GOV.UK Frontend's
// markup and behaviour; progress is kept in the browser (survey/storage.js) so a respondent can
// leave and come back, and a submission that fails on the way is sent again with the same
// submission_id, which the service answers with the first receipt rather than a second response.

import { createAll, Button, CharacterCount, Checkboxes, ErrorSummary, NotificationBanner, Radios } from 'govuk-frontend'
import accessibleAutocomplete from 'accessible-autocomplete'
import 'accessible-autocomplete/dist/accessible-autocomplete.min.css'
import './survey/survey.css'

import { h, s, longDate } from './survey/dom.js'
import { Model, readAnswer } from './survey/model.js'
import { Progress, newSubmissionID } from './survey/storage.js'
import { question, errorMessage } from './survey/questions.js'
import { profile } from './survey/profile.js'
import { passFor, signInPromise, alreadyAnswered } from './survey/signin.js'

// Teams are chosen with an autocomplete above this many, with radios otherwise.
const AUTOCOMPLETE_FROM = 11

const app = document.getElementById('app')
const announcer = document.getElementById('announce')
const waveKey = decodeURIComponent(window.location.pathname.split('/').filter(Boolean)[1] || '')
const api = `/api/v1/waves/${encodeURIComponent(waveKey)}`

let questionnaire = null // {wave, survey}
let model = null
let progress = null
let teams = null // [{key, name, parent, label}] for open and verified waves, loaded when needed
let pass = null // {signed_in, answered, sign_in} for verified waves
let sending = false
let pendingErrors = [] // server errors for sections not shown yet

// ---- Pages and addresses ------------------------------------------------------------------------

function hashOf (page) {
  return page.startsWith('section:') ? 'section-' + page.slice(8) : page
}

function pageFromHash () {
  const hash = decodeURIComponent(window.location.hash.slice(1))
  if (hash === 'start' || hash === 'team' || hash === 'confirmation') return hash
  if (hash.startsWith('section-') && model.section(hash.slice(8))) return 'section:' + hash.slice(8)
  return null
}

function sectionOfPage (page) {
  return page.startsWith('section:') ? model.section(page.slice(8)) : null
}

function answers () {
  return progress.data ? progress.data.answers : {}
}

function invite () {
  return questionnaire.wave.mode === 'invite'
}

function verified () {
  return questionnaire.wave.mode === 'verified'
}

// signedIn says whether the respondent may answer from this browser now: always, except in a
// verified wave without a pass for it.
function signedIn () {
  return !verified() || Boolean(pass && pass.signed_in)
}

function teamChosen () {
  return Boolean(progress.data && (invite() ? progress.data.invitation_code : progress.data.team))
}

// reachable turns a page into one the respondent may be on now: sections need a team, and a
// section all of whose questions are hidden gives way to the next one shown.
function reachable (page) {
  if (page === 'confirmation') return progress.receipt() && !progress.started ? page : 'start'
  if (!progress.started) return 'start'
  if (page === 'start' || page === 'team') return page
  if (!teamChosen()) return 'team'
  const section = sectionOfPage(page)
  const visible = model.visibleSections(answers())
  if (!section) return visible.length ? 'section:' + visible[0].key : 'team'
  if (visible.includes(section)) return page
  const all = questionnaire.survey.sections
  const after = visible.find((v) => all.indexOf(v) > all.indexOf(section))
  const last = visible[visible.length - 1]
  return 'section:' + (after || last).key
}

// go shows a page, recording it in the browser's history and in the saved progress.
function go (page, opts = {}) {
  remember(page)
  const url = '#' + hashOf(page)
  if (opts.replace) window.history.replaceState({ page }, '', url)
  else window.history.pushState({ page }, '', url)
  render(page, opts)
}

// remember keeps the page to come back to; the landing page is not one, so "Continue where you
// left off" there still knows where that was.
function remember (page) {
  if (!progress.started || page === 'start' || page === 'confirmation') return
  progress.data.page = page
  progress.save()
}

function onPopState () {
  const wanted = pageFromHash()
  if (!wanted) return // an in-page link, such as one in the error summary
  const page = reachable(wanted)
  if (page !== wanted) window.history.replaceState({ page }, '', '#' + hashOf(page))
  remember(page)
  render(page, {})
}

function render (page, opts) {
  if (page === 'start') return landing()
  if (page === 'team') return invite() ? invitationPage(opts) : teamPage(opts)
  if (page === 'confirmation') return confirmation()
  const section = sectionOfPage(page)
  if (section) return sectionPage(section, opts)
  return landing()
}

// mount puts a page in place: GOV.UK components started on it, its title set, and focus moved to
// its error summary (when it has errors) or its heading, as a new page would be read from the top.
function mount (title, nodes, opts = {}) {
  app.replaceChildren(...nodes.flat().filter(Boolean))
  app.removeAttribute('aria-busy')
  const errors = opts.errors && opts.errors.length
  document.title = `${errors ? 'Error: ' : ''}${title} \u2013 ${questionnaire ? questionnaire.survey.title : 'Survey'}`
  for (const Component of [Button, Radios, Checkboxes, CharacterCount, NotificationBanner]) createAll(Component, undefined, app)
  window.scrollTo(0, 0)
  if (errors) {
    createAll(ErrorSummary, undefined, app) // moves focus to the summary
  } else {
    const target = app.querySelector('[data-focus]')
    if (target) target.focus({ preventScroll: true })
  }
  if (opts.after) opts.after()
}

function heading (text, size = 'l', caption) {
  return [
    caption ? h('span', { class: `govuk-caption-${size}`, id: 'page-caption' }, caption) : null,
    h('h1', { class: `govuk-heading-${size}`, tabindex: '-1', 'data-focus': '' }, text)
  ]
}

function backLink (page) {
  return h('a', {
    href: '#' + hashOf(page),
    class: 'govuk-back-link',
    onclick: (e) => { e.preventDefault(); go(page) }
  }, 'Back')
}

function errorSummary (errors) {
  if (!errors || !errors.length) return null
  return h('div', { class: 'govuk-error-summary', 'data-module': 'govuk-error-summary' },
    h('div', { role: 'alert' },
      h('h2', { class: 'govuk-error-summary__title' }, 'There is a problem'),
      h('div', { class: 'govuk-error-summary__body' },
        h('ul', { class: 'govuk-list govuk-error-summary__list' },
          errors.map((e) => h('li', {}, h('a', { href: e.href }, e.message)))))))
}

function button (text, attrs = {}) {
  return h('button', { type: 'submit', class: 'govuk-button', 'data-module': 'govuk-button', 'data-prevent-double-click': 'true', ...attrs }, text)
}

function column (...children) {
  return h('div', { class: 'govuk-grid-row' }, h('div', { class: 'govuk-grid-column-two-thirds' }, children))
}

function announce (text) {
  announcer.textContent = ''
  window.setTimeout(() => { announcer.textContent = text }, 50)
}

// ---- Landing page -----------------------------------------------------------------------------

function startIcon () {
  return s('svg', {
    class: 'govuk-button__start-icon', xmlns: 'http://www.w3.org/2000/svg', width: '17.5', height: '19',
    viewBox: '0 0 33 40', 'aria-hidden': 'true', focusable: 'false'
  }, s('path', { fill: 'currentColor', d: 'M0 0h13l20 20-20 20H0l20-20z' }))
}

function landing () {
  const { wave, survey } = questionnaire
  const k = wave.threshold || 5
  const resume = progress.started
  const start = signedIn()
    ? h('a', {
      href: '#team', role: 'button', draggable: 'false', class: 'govuk-button govuk-button--start',
      'data-module': 'govuk-button',
      onclick: (e) => {
        e.preventDefault()
        if (!progress.started) progress.start()
        go(reachable(progress.data.page || 'team'))
      }
    }, resume ? 'Continue where you left off' : 'Start now', startIcon())
    : signInButton('Sign in to answer')
  const restart = resume
    ? h('button', {
      type: 'button', class: 'govuk-button govuk-button--secondary', 'data-module': 'govuk-button',
      onclick: () => { progress.clear(); go('start', { replace: true }) }
    }, 'Delete your answers and start again')
    : null
  const closes = wave.closes_at ? longDate(wave.closes_at) : ''
  mount(survey.title, [column(
    heading(survey.title, 'xl', wave.title),
    survey.description ? h('p', { class: 'govuk-body-l' }, survey.description) : null,
    h('p', { class: 'govuk-body' },
      survey.minutes ? `It takes about ${survey.minutes} minutes. ` : '',
      `There are up to ${survey.sections.length} short sections: you only see the questions that apply to you.`,
      closes ? ` The survey closes on ${closes}.` : ''),
    h('h2', { class: 'govuk-heading-m' }, 'How we keep your answers confidential'),
    h('ul', { class: 'govuk-list govuk-list--bullet' },
      verified()
        ? h('li', {}, 'Your answers are anonymous: signing in tells us only that you have answered, never which answers are yours.')
        : h('li', {}, 'The survey is anonymous: we do not ask for your name or email address.'),
      h('li', {}, 'We do not store your name, your IP address or the time you answered, only the day.'),
      h('li', {}, `Results are only shown for groups of ${k} or more people, so nobody can work out how you answered.`),
      h('li', {}, `Comments you write are only shown for groups of ${k * 2} or more people, mixed up and without the date.`)),
    h('h2', { class: 'govuk-heading-m' }, 'Before you start'),
    invite()
      ? h('p', { class: 'govuk-body' }, 'You need the invitation code you were sent. It tells us your team, not who you are.')
      : null,
    verified() ? signInPromise.map((p) => h('p', { class: 'govuk-body' }, p)) : null,
    verified() && signedIn()
      ? h('div', { class: 'govuk-inset-text' }, 'You are signed in, so you can start.')
      : null,
    invite()
      ? null
      : h('p', { class: 'govuk-body' }, 'You will choose the team you work in, so that your answers count towards its results.'),
    h('p', { class: 'govuk-body' },
      'Your answers are saved on this device as you go, so you can close the page and come back to finish. ' +
      'They are deleted from this device when you send them.'),
    resume
      ? h('div', { class: 'govuk-inset-text' }, 'You have already answered some questions on this device.')
      : null,
    h('div', { class: 'govuk-button-group' }, start, restart))])
}

// signInButton is the GOV.UK start button that sends the respondent to their organisation's
// sign-in, which brings them back to this page. Their progress is started first, so they come back
// to where they were going.
function signInButton (text) {
  return h('a', {
    href: pass.sign_in, role: 'button', draggable: 'false', class: 'govuk-button govuk-button--start',
    'data-module': 'govuk-button', id: 'sign-in',
    onclick: () => {
      if (!progress.started) progress.start()
      progress.save()
    }
  }, text, startIcon())
}

// ---- Team or invitation code ------------------------------------------------------------------

async function loadTeams () {
  if (teams) return teams
  const res = await fetch(`${api}/teams`, { headers: { Accept: 'application/json' } })
  if (!res.ok) throw new Error(`teams: ${res.status}`)
  const list = (await res.json()).teams || []
  const byKey = new Map(list.map((t) => [t.key, t]))
  const labels = new Map()
  for (const t of list) {
    const parent = t.parent ? byKey.get(t.parent) : null
    // A team's directorate tells apart teams with similar names; the department at the top is left out.
    t.label = parent && parent.parent ? `${t.name} (${parent.name})` : t.name
    labels.set(t.label, (labels.get(t.label) || 0) + 1)
  }
  for (const t of list) if (labels.get(t.label) > 1) t.label = `${t.label} [${t.key}]`
  list.sort((a, b) => a.label.localeCompare(b.label, 'en-GB'))
  teams = list
  return teams
}

function escapeHTML (text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]))
}

async function teamPage (opts) {
  let list
  try {
    list = await loadTeams()
  } catch {
    return problem('Sorry, we could not load the list of teams', 'Check your internet connection, then try again.', () => go('team', { replace: true }))
  }
  const errors = opts.errors || []
  const many = list.length >= AUTOCOMPLETE_FROM
  const errorID = errors.length ? 'team-error' : null
  const hintText = many
    ? 'Choose the team you work in most of the time. Start typing its name, or press the down arrow to see the whole list.'
    : 'Choose the team you work in most of the time.'
  let control
  if (many) {
    control = h('select', { class: 'govuk-select', id: 'team', name: 'team', 'aria-describedby': ['team-hint', errorID].filter(Boolean).join(' ') },
      h('option', { value: '' }, 'Choose your team'),
      list.map((t) => h('option', { value: t.key, selected: t.key === progress.data.team }, t.label)))
  } else {
    control = h('div', { class: 'govuk-radios', 'data-module': 'govuk-radios' },
      list.map((t, i) => {
        const id = i === 0 ? 'team' : `team-${i + 1}`
        return h('div', { class: 'govuk-radios__item' },
          h('input', { class: 'govuk-radios__input', id, name: 'team', type: 'radio', value: t.key, checked: t.key === progress.data.team }),
          h('label', { class: 'govuk-label govuk-radios__label', for: id }, t.label))
      }))
  }
  const form = h('form', { novalidate: '', onsubmit: (e) => { e.preventDefault(); chooseTeam(form, many, list) } },
    many
      ? h('div', { class: ['govuk-form-group', errors.length && 'govuk-form-group--error'] },
        h('h1', { class: 'govuk-label-wrapper', tabindex: '-1', 'data-focus': '' },
          h('label', { class: 'govuk-label govuk-label--l', for: 'team' }, 'Which team are you answering for?')),
        h('div', { class: 'govuk-hint', id: 'team-hint' }, hintText),
        errors.length ? errorMessage(errorID, errors[0].message) : null,
        control)
      : h('div', { class: ['govuk-form-group', errors.length && 'govuk-form-group--error'] },
        h('fieldset', { class: 'govuk-fieldset', 'aria-describedby': ['team-hint', errorID].filter(Boolean).join(' ') },
          h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--l' },
            h('h1', { class: 'govuk-fieldset__heading', tabindex: '-1', 'data-focus': '' }, 'Which team are you answering for?')),
          h('div', { class: 'govuk-hint', id: 'team-hint' }, hintText),
          errors.length ? errorMessage(errorID, errors[0].message) : null,
          control)),
    h('div', { class: 'govuk-button-group' }, button('Continue')))
  mount('Your team', [backLink('start'), column(errorSummary(errors), form)], {
    errors,
    after: () => {
      if (!many) return
      const select = document.getElementById('team')
      accessibleAutocomplete.enhanceSelectElement({
        selectElement: select,
        defaultValue: '',
        showAllValues: true,
        dropdownArrow: () => '<svg class="autocomplete__dropdown-arrow-down" aria-hidden="true" focusable="false" viewBox="0 0 512 512"><path d="M256,298.3L256,298.3L256,298.3l174.2-167.2c4.3-4.2,11.4-4.1,15.8,0.2l30.6,29.9c4.4,4.3,4.5,11.3,0.2,15.5L264.1,380.9c-2.2,2.2-5.2,3.2-8.1,3c-3,0.1-5.9-0.9-8.1-3L35.2,176.7c-4.3-4.2-4.2-11.2,0.2-15.5L66,131.3c4.4-4.3,11.5-4.4,15.8-0.2L256,298.3z"/></svg>',
        templates: { inputValue: (v) => v || '', suggestion: (v) => escapeHTML(v) },
        tNoResults: () => 'No team found with that name',
        inputClasses: errors.length ? 'govuk-input--error' : null
      })
      hideCompletionHint(form)
    }
  })
}

// hideCompletionHint hides from assistive technology the autocomplete's completion hint: a second,
// unlabelled, read-only input drawn under the real one to show the rest of the suggested name. It
// repeats what the status messages already announce, and unlabelled it fails WCAG's label rule.
function hideCompletionHint (root) {
  const hide = () => {
    for (const el of root.querySelectorAll('.autocomplete__hint:not([aria-hidden])')) el.setAttribute('aria-hidden', 'true')
  }
  new MutationObserver(hide).observe(root, { childList: true, subtree: true })
  hide()
}

function chooseTeam (form, many, list) {
  let key = ''
  if (many) {
    const typed = (document.getElementById('team').value || '').trim().toLowerCase()
    const match = list.find((t) => t.label.toLowerCase() === typed)
    key = match ? match.key : ''
    if (!key) {
      const message = typed ? 'Select your team from the list' : 'Enter the name of your team and select it from the list'
      return go('team', { replace: true, errors: [{ href: '#team', message }] })
    }
  } else {
    const checked = form.querySelector('input[name="team"]:checked')
    key = checked ? checked.value : ''
    if (!key) return go('team', { replace: true, errors: [{ href: '#team', message: 'Select the team you are answering for' }] })
  }
  progress.data.team = key
  progress.save()
  goOn()
}

// goOn leaves the team page: for the first section, or back to the page the respondent was sending
// from when the service refused the team or code.
function goOn () {
  const back = progress.data.return_to
  delete progress.data.return_to
  progress.save()
  go(reachable(back || 'section:' + questionnaire.survey.sections[0].key))
}

function invitationPage (opts) {
  const errors = opts.errors || []
  const errorID = errors.length ? 'invitation-code-error' : null
  const input = h('input', {
    class: ['govuk-input', 'govuk-input--width-20', errors.length && 'govuk-input--error'],
    id: 'invitation-code', name: 'invitation_code', type: 'text', spellcheck: 'false', autocomplete: 'off',
    autocapitalize: 'characters', value: progress.data.invitation_code || '',
    'aria-describedby': ['invitation-code-hint', errorID].filter(Boolean).join(' ')
  })
  const form = h('form', {
    novalidate: '',
    onsubmit: (e) => {
      e.preventDefault()
      const code = input.value.trim()
      let message = ''
      if (!code) message = 'Enter your invitation code'
      else if (code.length > 64) message = 'Invitation code must be 64 characters or fewer'
      if (message) return go('team', { replace: true, errors: [{ href: '#invitation-code', message }] })
      progress.data.invitation_code = code
      progress.save()
      goOn()
    }
  },
  h('div', { class: ['govuk-form-group', errors.length && 'govuk-form-group--error'] },
    h('h1', { class: 'govuk-label-wrapper', tabindex: '-1', 'data-focus': '' },
      h('label', { class: 'govuk-label govuk-label--l', for: 'invitation-code' }, 'Enter your invitation code')),
    h('div', { class: 'govuk-hint', id: 'invitation-code-hint' },
      'It is in the invitation you were sent, for example 7KQ2M-XC9RT-4HB8N. The code tells us your team, not who you are, and can be used once.'),
    errors.length ? errorMessage(errorID, errors[0].message) : null,
    input),
  h('div', { class: 'govuk-button-group' }, button('Continue')))
  mount('Your invitation code', [backLink('start'), column(errorSummary(errors), form)], { errors })
}

// ---- Sections ---------------------------------------------------------------------------------

function sectionPlace (section) {
  const visible = model.visibleSections(answers())
  const index = visible.indexOf(section)
  return { visible, index, last: index === visible.length - 1 }
}

function sectionPage (section, opts) {
  const errors = opts.errors && opts.errors.length ? opts.errors : takePending(section)
  const a = answers()
  const { visible, index, last } = sectionPlace(section)
  const back = index > 0 ? 'section:' + visible[index - 1].key : 'team'
  const levels = questionnaire.survey.proficiency || []
  const rows = section.questions.map((q) => {
    const row = question(q, a[q.key], errors.filter((e) => e.key === q.key), levels)
    if (!model.shown(q, a)) row.hidden = true
    return row
  })
  const send = h('div', { id: 'send-block', hidden: !last },
    h('h2', { class: 'govuk-heading-m' }, 'Now send your answers'),
    h('p', { class: 'govuk-body' },
      'You cannot change your answers after you send them. They are sent without your name, and we keep only the day they arrived.'))
  const form = h('form', { novalidate: '', id: 'section-form', onsubmit: (e) => { e.preventDefault(); next(section, form) } },
    rows,
    column(send, h('div', { class: 'govuk-button-group' }, button(last ? 'Send your answers' : 'Continue', { id: 'continue' }))))
  form.addEventListener('change', (e) => changed(section, form, e))
  form.addEventListener('input', (e) => { if (e.target.matches('textarea, input[type="text"]')) changed(section, form, e) })
  const banner = opts.resumed
    ? h('div', { class: 'govuk-notification-banner', role: 'region', 'aria-labelledby': 'resume-title', 'data-module': 'govuk-notification-banner' },
      h('div', { class: 'govuk-notification-banner__header' },
        h('h2', { class: 'govuk-notification-banner__title', id: 'resume-title' }, 'Important')),
      h('div', { class: 'govuk-notification-banner__content' },
        h('p', { class: 'govuk-notification-banner__heading' }, 'Welcome back. Your answers so far were saved on this device.'),
        h('p', { class: 'govuk-body' }, 'Carry on from where you left off, or go back to change an answer.')))
    : null
  mount(section.title, [
    backLink(back),
    column(banner, errorSummary(errors),
      heading(section.title, 'l', `Section ${index + 1} of ${visible.length}`),
      section.description ? h('p', { class: 'govuk-body' }, section.description) : null),
    form
  ], { errors })
}

function takePending (section) {
  const mine = pendingErrors.filter((e) => model.sectionOf(e.key) === section)
  pendingErrors = pendingErrors.filter((e) => !mine.includes(e))
  return mine
}

// changed keeps the answers, the questions shown and the progress caption in step with the form.
function changed (section, form, event) {
  const t = event && event.target
  // "I do not know" on an aspiration-reality pair clears both radio groups, and a level clears it.
  if (t && t.dataset && t.dataset.pair && t.checked) {
    form.querySelectorAll(`input[name="${t.dataset.pair}.now"], input[name="${t.dataset.pair}.target"]`).forEach((r) => { r.checked = false })
  } else if (t && t.type === 'radio' && /\.(now|target)$/.test(t.name)) {
    const dk = form.querySelector(`input[name="${t.name.replace(/\.(now|target)$/, '')}.dont_know"]`)
    if (dk) dk.checked = false
  }
  const a = answers()
  for (const q of section.questions) {
    const v = readAnswer(form, q)
    if (v === undefined) delete a[q.key]
    else a[q.key] = v
  }
  progress.save()
  let added = 0
  let removed = 0
  for (const row of form.querySelectorAll('[data-question-row]')) {
    const q = model.question(row.dataset.questionRow)
    const hide = !model.shown(q, a)
    if (hide !== row.hidden) {
      if (hide) removed++
      else added++
      row.hidden = hide
    }
  }
  if (added || removed) {
    const parts = []
    if (added) parts.push(`${added} more ${added === 1 ? 'question' : 'questions'} shown below`)
    if (removed) parts.push(`${removed} ${removed === 1 ? 'question' : 'questions'} no longer asked`)
    announce(parts.join('; '))
  }
  const { visible, index, last } = sectionPlace(section)
  const caption = document.getElementById('page-caption')
  if (caption) caption.textContent = `Section ${index + 1} of ${visible.length}`
  const sendBlock = document.getElementById('send-block')
  if (sendBlock) sendBlock.hidden = !last
  const cont = document.getElementById('continue')
  if (cont) cont.textContent = last ? 'Send your answers' : 'Continue'
}

function next (section, form) {
  changed(section, form, null)
  const errors = model.check(section, answers())
  if (errors.length) return go('section:' + section.key, { replace: true, errors })
  const { visible, index, last } = sectionPlace(section)
  if (!last) return go('section:' + visible[index + 1].key)
  // Before sending, every section shown must pass (a section may have been skipped by going back).
  for (const v of visible) {
    const e = model.check(v, answers())
    if (e.length) return go('section:' + v.key, { errors: e })
  }
  submit()
}

// ---- Sending ------------------------------------------------------------------------------------

function lastSectionPage () {
  const visible = model.visibleSections(answers())
  return 'section:' + visible[visible.length - 1].key
}

async function submit () {
  if (sending) return
  sending = true
  const cont = document.getElementById('continue')
  if (cont) {
    cont.setAttribute('aria-disabled', 'true')
    cont.classList.add('govuk-button--disabled')
  }
  announce('Sending your answers')
  const body = { submission_id: progress.data.submission_id, answers: model.submissionAnswers(answers()) }
  if (invite()) body.invitation_code = progress.data.invitation_code
  else body.team = progress.data.team
  let res
  let data = null
  try {
    res = await fetch(`${api}/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    })
    data = await res.json()
  } catch {
    sending = false
    return retryPage('We could not reach the service to send your answers. This can happen when the internet connection drops.')
  }
  sending = false
  if (res.status === 200 || res.status === 201) {
    progress.saveReceipt(data)
    progress.clear()
    return go('confirmation', { replace: true })
  }
  refused(res.status, (data && data.error) || {})
}

// refused shows what to do about an answer other than success.
function refused (status, error) {
  const code = error.code || ''
  if (status === 422) return invalid(error.fields || {})
  if (code === 'team_not_found') {
    progress.data.team = ''
    progress.data.return_to = lastSectionPage()
    progress.save()
    return go('team', { errors: [{ href: '#team', message: 'The team you chose is no longer in the list. Select your team again' }] })
  }
  if (code === 'invitation_invalid') {
    progress.data.return_to = lastSectionPage()
    progress.save()
    return go('team', { errors: [{ href: '#invitation-code', message: 'This invitation code is not valid for this survey, or has already been used. Check it and enter it again' }] })
  }
  if (code === 'sign_in_required') {
    progress.data.page = lastSectionPage()
    progress.save()
    return signInAgain()
  }
  if (code === 'already_answered') {
    progress.clear()
    return notice('You have already answered this survey', alreadyAnswered)
  }
  if (code === 'sign_in_unavailable') {
    return notice('You cannot answer this survey at the moment', [capitalFirst(error.message || 'signing in is not working') + '.'])
  }
  if (code === 'duplicate_submission') {
    progress.clear()
    return notice('Your answers have already been sent',
      ['We already have answers sent from this device for this survey, so we cannot take them again.',
        'There is nothing more you need to do. Thank you for taking part.'])
  }
  if (code === 'wave_closed' || code === 'wave_not_open' || code === 'wave_not_found') {
    return notice('This survey is not taking answers', [error.message ? capitalFirst(error.message) + '.' : 'This survey has closed.'])
  }
  if (status === 429) return retryPage('Too many answers are arriving at the moment. Wait a minute, then try again.')
  return retryPage('Something went wrong on our side while sending your answers.')
}

function capitalFirst (t) {
  return t.charAt(0).toUpperCase() + t.slice(1)
}

// invalid maps a 422's fields to the questions and fields they name: answers.<key> to the question,
// team and invitation_code to the team page, submission_id to a new one and the send button.
function invalid (fields) {
  const byQuestion = []
  const other = []
  let teamMessage = ''
  for (const [field, message] of Object.entries(fields)) {
    if (field.startsWith('answers.')) {
      const q = model.question(field.slice(8))
      if (q) {
        byQuestion.push(serverError(q, message))
        continue
      }
    }
    if (field === 'team') teamMessage = 'Select the team you are answering for'
    else if (field === 'invitation_code') teamMessage = 'Enter your invitation code'
    else if (field === 'submission_id') {
      progress.data.submission_id = newSubmissionID()
      progress.save()
      other.push({ href: '#continue', message: 'Something went wrong with this response\u2019s reference. Select \u201cSend your answers\u201d again' })
    } else {
      other.push({ href: '#continue', message: `Your answers could not be accepted (${field} ${message}). Select \u201cSend your answers\u201d again` })
    }
  }
  if (teamMessage) {
    progress.data.return_to = lastSectionPage()
    progress.save()
    return go('team', { errors: [{ href: invite() ? '#invitation-code' : '#team', message: teamMessage }] })
  }
  if (byQuestion.length) {
    const order = [...model.index.keys()]
    byQuestion.sort((x, y) => order.indexOf(x.key) - order.indexOf(y.key))
    const section = model.sectionOf(byQuestion[0].key)
    const here = byQuestion.filter((e) => model.sectionOf(e.key) === section)
    pendingErrors = byQuestion.filter((e) => !here.includes(e))
    return go('section:' + section.key, { errors: here })
  }
  return go(lastSectionPage(), { errors: other })
}

function serverError (q, message) {
  const href = q.type === 'aspiration-reality' ? `#${q.key}-now` : `#${q.key}`
  const text = message === 'an answer is required'
    ? `Answer \u201c${q.text}\u201d`
    : `Answer \u201c${q.text}\u201d again: the answer we had could not be accepted (it ${message})`
  return { key: q.key, part: '', href, message: text }
}

// signInAgain asks a respondent whose sign-in has ended (or was never made) to sign in, then send.
function signInAgain () {
  const title = 'Sign in again to send your answers'
  mount(title, [column(
    heading(title),
    h('p', { class: 'govuk-body' }, 'Your sign-in has ended, so we could not take your answers yet. Sign in with your organisation’s account and you will come back here to send them.'),
    h('p', { class: 'govuk-body' }, 'Your answers are still saved on this device, so you will not lose them.'),
    h('div', { class: 'govuk-button-group' }, signInButton('Sign in again')))])
}

function retryPage (why) {
  const again = h('button', { type: 'button', class: 'govuk-button', 'data-module': 'govuk-button', id: 'retry', onclick: () => submit() }, 'Try sending again')
  mount('Your answers have not been sent yet', [column(
    heading('Your answers have not been sent yet'),
    h('p', { class: 'govuk-body' }, why),
    h('p', { class: 'govuk-body' }, 'Your answers are still saved on this device, so you will not lose them. If you try again, they are sent only once.'),
    h('div', { class: 'govuk-button-group' }, again,
      h('a', { class: 'govuk-link', href: '#' + hashOf(lastSectionPage()), onclick: (e) => { e.preventDefault(); go(lastSectionPage(), { replace: true }) } }, 'Go back to your answers')))])
}

function problem (title, text, retry) {
  mount(title, [column(heading(title), h('p', { class: 'govuk-body' }, text),
    retry ? h('button', { type: 'button', class: 'govuk-button', 'data-module': 'govuk-button', onclick: retry }, 'Try again') : null)])
}

function notice (title, paragraphs) {
  mount(title, [column(heading(title), paragraphs.map((p) => h('p', { class: 'govuk-body' }, p)))])
}

// ---- Confirmation -------------------------------------------------------------------------------

async function confirmation () {
  const receipt = progress.receipt()
  if (!receipt) return landing()
  if (!invite()) {
    try {
      await loadTeams()
    } catch {
      // the team's key is shown instead of its name
    }
  }
  const { wave, survey } = questionnaire
  const k = wave.threshold || 5
  const team = teams ? teams.find((t) => t.key === receipt.team) : null
  mount('Your answers have been sent', [column(
    h('div', { class: 'govuk-panel govuk-panel--confirmation' },
      h('h1', { class: 'govuk-panel__title', tabindex: '-1', 'data-focus': '' }, 'Your answers have been sent'),
      h('div', { class: 'govuk-panel__body' }, 'Thank you for taking part')),
    h('p', { class: 'govuk-body' }, `You answered for ${team ? team.label : receipt.team}.`)),
  h('div', { class: 'govuk-grid-row' }, h('div', { class: 'govuk-grid-column-full' }, profile(survey, receipt))),
  column(
    h('h2', { class: 'govuk-heading-m' }, 'What happens next'),
    h('p', { class: 'govuk-body' },
      'Your answers are added to the results for your team, your directorate and the department. ' +
      `Results are only shown for groups of ${k} or more people, and comments only for groups of ${k * 2} or more, ` +
      'so your answers cannot be traced to you.'),
    h('p', { class: 'govuk-body' },
      `While the survey is open, a group\u2019s results are only updated after at least ${k} more people in it have answered` +
      (wave.closes_at ? `. The survey closes on ${longDate(wave.closes_at)}.` : '.')),
    h('p', { class: 'govuk-body' }, 'We have deleted your answers from this device. You can close this page.'))])
}

// ---- Start --------------------------------------------------------------------------------------

async function main () {
  let res
  try {
    res = await fetch(`${api}/questionnaire`, { headers: { Accept: 'application/json' } })
  } catch {
    return problem('Sorry, we could not load the survey', 'Check your internet connection, then try again.', () => window.location.reload())
  }
  let data = null
  try {
    data = await res.json()
  } catch {
    data = null
  }
  if (!res.ok || !data || !data.survey) {
    const error = (data && data.error) || {}
    if (res.status === 404) return notice('Survey not found', ['There is no survey at this address. Check the link you were sent.'])
    if (res.status === 409) return notice('This survey is not taking answers', [capitalFirst(error.message || 'this survey is closed') + '.'])
    return problem('Sorry, there is a problem with the service', 'Try again later.', () => window.location.reload())
  }
  questionnaire = data
  model = new Model(data.survey)
  progress = new Progress(waveKey, data.survey.version)
  const name = document.getElementById('service-name')
  if (name) name.textContent = data.survey.title
  const resumed = progress.load()
  window.addEventListener('popstate', onPopState)
  const wanted = pageFromHash()
  if (wanted === 'confirmation' && progress.receipt() && !resumed) return go('confirmation', { replace: true })
  progress.clearReceipt()
  if (verified()) {
    try {
      pass = await passFor(api)
    } catch {
      return problem('Sorry, we could not check whether you are signed in', 'Check your internet connection, then try again.', () => window.location.reload())
    }
    if (pass.answered) {
      progress.clear()
      return notice('You have already answered this survey', alreadyAnswered)
    }
  }
  // A verified wave's respondent starts (or carries on) once signed in; until then, the landing page.
  const page = resumed && signedIn() ? reachable(progress.data.page || 'team') : 'start'
  go(page, { replace: true, resumed: resumed && page.startsWith('section:') })
}

main()
