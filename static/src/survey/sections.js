// A section's page: its questions as GOV.UK components, show_if applied as the respondent answers,
// the error summary for the page's own checks, and Continue to the next section shown or, after the
// last (or after changing an answer from the check page), to the check page.

import { h } from '../shared/dom.js'
import { readAnswer } from './model.js'
import { question } from './questions.js'
import { st, answers, sectionPlace } from './state.js'
import { mount, heading, column, backLink, errorSummary, button, announce } from './page.js'
import { go, hashOf } from './app.js'

// backTo is the page the back link leads to: the check page when the respondent came from it to
// change an answer, else the section before (or the team page).
function backTo (section) {
  if (st.progress.data.return_to === 'check') return 'check'
  const { visible, index } = sectionPlace(section)
  return index > 0 ? 'section:' + visible[index - 1].key : 'team'
}

export function sectionPage (section, opts) {
  const errors = opts.errors && opts.errors.length ? opts.errors : takePending(section)
  const a = answers()
  const { visible, index } = sectionPlace(section)
  const back = backTo(section)
  const levels = st.questionnaire.survey.proficiency || []
  const rows = section.questions.map((q) => {
    const row = question(q, a[q.key], errors.filter((e) => e.key === q.key), levels)
    if (!st.model.shown(q, a)) row.hidden = true
    return row
  })
  const form = h('form', { novalidate: '', id: 'section-form', onsubmit: (e) => { e.preventDefault(); next(section, form) } },
    rows,
    column(h('div', { class: 'govuk-button-group' }, button('Continue', { id: 'continue' }))))
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
    backLink(hashOf(back), () => leaveFor(back)),
    column(banner, errorSummary(errors),
      heading(section.title, 'l', `Section ${index + 1} of ${visible.length}`),
      section.description ? h('p', { class: 'govuk-body' }, section.description) : null),
    form
  ], { errors })
}

// leaveFor follows the back link; going back to the check page ends the change.
function leaveFor (page) {
  if (page === 'check') {
    delete st.progress.data.return_to
    st.progress.save()
  }
  go(page)
}

function takePending (section) {
  const mine = st.pendingErrors.filter((e) => st.model.sectionOf(e.key) === section)
  st.pendingErrors = st.pendingErrors.filter((e) => !mine.includes(e))
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
  st.progress.save()
  let added = 0
  let removed = 0
  for (const row of form.querySelectorAll('[data-question-row]')) {
    const q = st.model.question(row.dataset.questionRow)
    const hide = !st.model.shown(q, a)
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
  const { visible, index } = sectionPlace(section)
  const caption = document.getElementById('page-caption')
  if (caption) caption.textContent = `Section ${index + 1} of ${visible.length}`
}

function next (section, form) {
  changed(section, form, null)
  const errors = st.model.check(section, answers())
  if (errors.length) return go('section:' + section.key, { replace: true, errors })
  const progress = st.progress
  if (progress.data.return_to === 'check') {
    delete progress.data.return_to
    progress.save()
    return go('check')
  }
  const { visible, index, last } = sectionPlace(section)
  go(last ? 'check' : 'section:' + visible[index + 1].key)
}
