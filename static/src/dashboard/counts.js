// An open-mode wave: anyone with the link may answer, as often as they like, so nobody's answers
// are verified. Its scores wait for it to close (a reader who also answers could otherwise lift a
// small team past the threshold with answers of their own and read the rest from its scores), and
// every page of it says its answers were not verified.
import { dashboardURL } from './api.js'
import { h, link, table } from './dom.js'
import { day, percent, plural, whyWithheld } from './format.js'
import { downloads, heading, section, waveCaption } from './page.js'
import { tree } from './tree.js'

// notVerified warns that a wave's answers were not verified, or is null for a wave whose were.
export function notVerified (rep) {
  if (rep.wave.answers_verified) return null
  return h('div', { class: 'govuk-warning-text', dataset: { notice: 'not-verified' } },
    h('span', { class: 'govuk-warning-text__icon', 'aria-hidden': 'true' }, '!'),
    h('strong', { class: 'govuk-warning-text__text' },
      h('span', { class: 'govuk-visually-hidden' }, 'Warning'),
      'Answers to this wave were not verified: anyone with the link could answer, as often as they liked, for any team. Read its figures as an indication, not a measure.'))
}

// countsPage shows how many have answered in each group (below group, when one is chosen) while an
// open-mode wave is open, and says when its scores will be published.
export function countsPage (main, rep, picker, group) {
  const wave = rep.wave.key
  const t = tree(rep.groups)
  const top = group ? t.byKey.get(group) : null
  const rows = []
  const walk = (g, depth) => {
    rows.push(countRow(g, depth, rep, wave))
    for (const c of t.children(g.key)) walk(c, depth + 1)
  }
  for (const r of top ? [top] : t.roots) walk(r, 0)
  const closes = rep.wave.closes_at ? ` on ${day(rep.wave.closes_at)}` : ''
  main.replaceChildren(
    ...heading(top ? `Who has answered in ${top.name}` : 'Who has answered so far', waveCaption(rep.wave)),
    notVerified(rep),
    h('div', { class: 'govuk-grid-row' },
      h('div', { class: 'govuk-grid-column-two-thirds' },
        h('div', { class: 'govuk-inset-text', dataset: { notice: 'scores-after-closing' } },
          `Scores for this wave are published when it closes${closes}. Until then this page shows how many people have answered in each group: someone who can read the figures could otherwise add answers of their own to a small team and work out the rest from its scores.`),
        group && !top ? h('p', { class: 'govuk-body' }, 'There is no such group in this wave. ', link(dashboardURL({ wave }), 'See every group')) : null,
        top ? h('p', { class: 'govuk-body' }, link(dashboardURL({ wave }), 'See every group')) : null),
      h('div', { class: 'govuk-grid-column-one-third' }, picker)),
    section('counts', 'Responses by group',
      table({
        caption: `Responses published so far, and the share of each group's headcount. Each team's answers are added in batches of at least ${rep.wave.threshold}, so a group shows nothing until a team in it has that many.`,
        head: ['Group', { content: 'Responses', numeric: true }, { content: 'Response rate', numeric: true }],
        rows,
        label: 'Responses by group (table)'
      })),
    downloads(wave, { level: 'all' }, 'this page'))
}

function countRow (g, depth, rep, wave) {
  const name = { content: [link(dashboardURL({ wave, group: g.key }), g.name)], classes: `app-depth-${Math.min(depth, 3)}` }
  if (g.withheld) {
    return [name, { content: `Withheld: ${whyWithheld(g.reason, rep.wave.threshold)}`, attrs: { colspan: '2' } }]
  }
  return [name, { content: plural(g.n, 'response', 'responses'), numeric: true },
    { content: g.headcount_outdated ? 'Headcount outdated' : g.response_rate == null ? 'Not known' : percent(g.response_rate), numeric: true }]
}
