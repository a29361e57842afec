// The confirmation page: the answers have been sent; the respondent's own profile from the receipt,
// and what happens next.

import { h, longDate } from '../shared/dom.js'
import { st, invite } from './state.js'
import { mount, column } from './page.js'
import { profile } from './profile.js'
import { loadTeams } from './team.js'
import { landing } from './landing.js'

export async function confirmation () {
  const receipt = st.progress.receipt()
  if (!receipt) return landing()
  if (!invite()) {
    try {
      await loadTeams()
    } catch {
      // the team's key is shown instead of its name
    }
  }
  const { wave, survey } = st.questionnaire
  const k = wave.threshold || 5
  const team = st.teams ? st.teams.find((t) => t.key === receipt.team) : null
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
