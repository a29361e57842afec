// "Check your answers before sending them" (the GOV.UK check answers pattern): every question
// shown and its answer, section by section, each with a Change link back to its section, then
// "Send your answers". Answers are sent from here only; changing one keeps all the others.

import { h, capitalise, hidden, quoted } from '../shared/dom.js'
import { DONT_KNOW, parseNumber } from './model.js'
import { st, answers, invite } from './state.js'
import { mount, heading, column, backLink, errorSummary, button } from './page.js'
import { loadTeams } from './team.js'
import { submit } from './send.js'
import { go, hashOf, reachable } from './app.js'

const NOT_ANSWERED = 'Not answered'

// answerLines is how an answer reads on the check page: one or more lines of text.
export function answerLines (q, a) {
  if (a === undefined || a === null || a === '' || (Array.isArray(a) && !a.length)) return [NOT_ANSWERED]
  if (a === DONT_KNOW && q.type !== 'text') return ['I do not know']
  switch (q.type) {
    case 'maturity':
      return [q.levels[a - 1] || NOT_ANSWERED]
    case 'aspiration-reality': {
      const side = (label, level) => `${label}: ${level ? q.levels[level - 1] : NOT_ANSWERED.toLowerCase()}`
      return [side(q.now_text || 'Now', a.now), side(q.target_text || 'Where it should be', a.target)]
    }
    case 'proficiency':
      return [capitalise(a)]
    case 'choice': {
      const o = q.options.find((x) => x.key === a)
      return [o ? o.label || o.key : a]
    }
    case 'multi_choice':
      return a.map((key) => {
        const o = q.options.find((x) => x.key === key)
        return o ? o.label || o.key : key
      })
    case 'number': {
      const n = parseNumber(a)
      return [n === null ? String(a) : `${n.toLocaleString('en-GB')}${q.unit ? ' ' + q.unit : ''}`]
    }
    default:
      return [String(a)]
  }
}

function row (key, lines, change, label) {
  return h('div', { class: 'govuk-summary-list__row' },
    h('dt', { class: 'govuk-summary-list__key' }, key),
    h('dd', { class: 'govuk-summary-list__value' },
      lines.length > 1
        ? h('ul', { class: 'govuk-list' }, lines.map((l) => h('li', {}, l)))
        : h('p', { class: 'govuk-body' }, lines[0])),
    h('dd', { class: 'govuk-summary-list__actions' },
      h('a', {
        class: 'govuk-link', href: hashOf(change), 'data-change': change,
        onclick: (e) => { e.preventDefault(); changeFrom(change) }
      }, 'Change', hidden(` ${label}`))))
}

// changeFrom goes to a page to change an answer; its Continue comes back here.
function changeFrom (page) {
  st.progress.data.return_to = 'check'
  st.progress.save()
  go(page)
}

export async function checkPage (opts) {
  // Here, a change under way has ended (whether by Continue, the back link or the browser's Back).
  if (st.progress.data.return_to === 'check') {
    delete st.progress.data.return_to
    st.progress.save()
  }
  const a = answers()
  const visible = st.model.visibleSections(a)
  let team = st.progress.data.team
  if (!invite()) {
    try {
      const found = (await loadTeams()).find((t) => t.key === team)
      if (found) team = found.label
    } catch {
      // the team's key is shown instead of its name
    }
  }
  const who = invite()
    ? row('Invitation code', [st.progress.data.invitation_code], 'team', 'your invitation code')
    : row('Team', [team], 'team', 'the team you are answering for')
  const sections = visible.map((section) => [
    h('h2', { class: 'govuk-heading-m' }, section.title),
    h('dl', { class: 'govuk-summary-list govuk-!-margin-bottom-9', 'data-section': section.key },
      section.questions.filter((q) => st.model.shown(q, a)).map((q) =>
        row(q.text, answerLines(q, a[q.key]), 'section:' + section.key, `your answer to ${quoted(q.text)}`)))
  ])
  const back = 'section:' + visible[visible.length - 1].key
  const errors = opts.errors || []
  mount('Check your answers before sending them', [
    backLink(hashOf(back), () => go(reachable(back))),
    column(errorSummary(errors), heading('Check your answers before sending them'),
      h('h2', { class: 'govuk-heading-m' }, invite() ? 'Your invitation' : 'Your team'),
      h('dl', { class: 'govuk-summary-list govuk-!-margin-bottom-9' }, who),
      sections,
      h('h2', { class: 'govuk-heading-m' }, 'Now send your answers'),
      h('p', { class: 'govuk-body' },
        'You cannot change your answers after you send them. They are sent without your name, and we keep only the day they arrived.'),
      h('form', { novalidate: '', onsubmit: (e) => { e.preventDefault(); send() } },
        h('div', { class: 'govuk-button-group' }, button('Send your answers', { id: 'send' }))))
  ], { errors })
}

// send checks every section shown (one may have been skipped by going back, or shown by a change)
// and sends the answers, or shows the first section with a problem.
function send () {
  for (const v of st.model.visibleSections(answers())) {
    const e = st.model.check(v, answers())
    if (e.length) {
      st.progress.data.return_to = 'check'
      st.progress.save()
      return go('section:' + v.key, { errors: e })
    }
  }
  submit()
}
