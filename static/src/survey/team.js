// The team page (open and verified waves: radios, or an autocomplete where teams are many) and the
// invitation code page (invite waves, whose code names the team).

import accessibleAutocomplete from 'accessible-autocomplete'
import { h } from '../shared/dom.js'
import { request } from '../shared/api.js'
import { st } from './state.js'
import { mount, column, backLink, errorSummary, button, problem } from './page.js'
import { errorMessage } from './questions.js'
import { go, hashOf, reachable } from './app.js'

// Teams are chosen with an autocomplete above this many, with radios otherwise.
const AUTOCOMPLETE_FROM = 11

// loadTeams reads the wave's teams once, each labelled with its directorate where that tells
// apart teams with similar names.
export async function loadTeams () {
  if (st.teams) return st.teams
  const res = await request(`${st.api}/teams`)
  if (!res.ok || !res.body) throw new Error(`teams: ${res.status}`)
  const list = res.body.teams || []
  const byKey = new Map(list.map((t) => [t.key, t]))
  const labels = new Map()
  for (const t of list) {
    const parent = t.parent ? byKey.get(t.parent) : null
    // The department at the top is left out.
    t.label = parent && parent.parent ? `${t.name} (${parent.name})` : t.name
    labels.set(t.label, (labels.get(t.label) || 0) + 1)
  }
  for (const t of list) if (labels.get(t.label) > 1) t.label = `${t.label} [${t.key}]`
  list.sort((a, b) => a.label.localeCompare(b.label, 'en-GB'))
  st.teams = list
  return list
}

function escapeHTML (text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]))
}

function back () {
  return backLink(hashOf('start'), () => go('start'))
}

export async function teamPage (opts) {
  let list
  try {
    list = await loadTeams()
  } catch {
    return problem('Sorry, we could not load the list of teams', 'Check your internet connection, then try again.', () => go('team', { replace: true }))
  }
  const progress = st.progress
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
  mount('Your team', [back(), column(errorSummary(errors), form)], {
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
  st.progress.data.team = key
  st.progress.save()
  goOn()
}

// goOn leaves the team page: for the first section, or back to the page the respondent came from
// (the check page, or the page they were sending from when the service refused the team or code).
function goOn () {
  const progress = st.progress
  const back = progress.data.return_to
  delete progress.data.return_to
  progress.save()
  go(reachable(back || 'section:' + st.questionnaire.survey.sections[0].key))
}

export function invitationPage (opts) {
  const progress = st.progress
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
  mount('Your invitation code', [back(), column(errorSummary(errors), form)], { errors })
}
