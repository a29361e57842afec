// A one-page summary of a group (&view=summary), to print on A4: its key figures, each dimension's
// maturity score, stage, self-rated now, target and gap, what the stages mean, and the next step
// for each dimension. Withheld figures say why, in place.
import { dashboardURL } from './api.js'
import { h, link, table } from './dom.js'
import { percent, score, today, whyWithheld } from './format.js'
import { dimensionRows, missing, shownFig } from './groupcharts.js'
import { heading, waveCaption } from './page.js'
import { stageByKey } from './stages.js'

const range = (s) => `${s.from}–${s.to}`

export function summaryPage (main, rep, pal, g, levelName) {
  const wave = rep.wave.key
  const k = rep.wave.threshold
  const back = dashboardURL({ wave, group: g.key })
  const controls = h('div', { class: 'app-no-print app-summary-controls' },
    h('p', { class: 'govuk-body' }, link(back, `Back to ${g.name}’s full page`)),
    h('button', { type: 'button', class: 'govuk-button', 'data-module': 'govuk-button', onclick: () => window.print() }, 'Print this summary'))
  const head = heading(`${g.name}: summary`, `${levelName} · ${waveCaption(rep.wave)}`)
  const note = h('p', { class: 'govuk-body-s app-summary-note' },
    `Printed on ${today()}. Groups of fewer than ${k} people are withheld, and so is any figure that would let someone work out a withheld one.`)
  if (g.withheld) {
    main.replaceChildren(controls, ...head,
      h('div', { class: 'govuk-inset-text app-withheld-notice', dataset: { withheld: 'true' } },
        `This ${levelName.toLowerCase()}'s figures are withheld in this wave: ${whyWithheld(g.reason, k)}.`), note)
    return
  }
  const o = g.overall
  const dims = dimensionRows(rep, g)
  const overall = shownFig(o)
    ? `${score(o.mean)} (${(stageByKey(pal, o.stage) || { label: o.stage }).label})`
    : missing(o, k)
  const key = h('ul', { class: 'govuk-list app-summary-key', dataset: { summaryKey: g.key } },
    h('li', {}, h('strong', {}, 'Responses: '), String(g.n),
      g.response_rate != null && !g.headcount_outdated ? ` of ${g.headcount} (${percent(g.response_rate)})` : ''),
    h('li', {}, h('strong', {}, 'Overall maturity score: '), overall),
    shownFig(o) && o.gap != null ? h('li', {}, h('strong', {}, 'Self-rated now and target: '), `${score(o.now)} now, ${score(o.target)} target, gap ${score(o.gap)}`) : null)
  const figures = table({
    caption: 'Figures by dimension',
    head: ['Dimension', { content: 'Maturity score', numeric: true }, 'Stage', { content: 'Self-rated now', numeric: true }, { content: 'Target', numeric: true }, { content: 'Gap', numeric: true }],
    rows: dims.map((r) => {
      const f = r.fig
      if (missing(f, k)) return { attrs: { 'data-dimension': r.key }, cells: [r.title, { content: missing(f, k), attrs: { colspan: '5' }, classes: 'app-cell--withheld' }] }
      const s = stageByKey(pal, f.stage)
      const none = f.now == null
      return {
        attrs: { 'data-dimension': r.key },
        cells: [r.title, { content: score(f.mean), numeric: true }, s ? s.label : f.stage,
          { content: none ? '–' : score(f.now), numeric: true }, { content: none ? '–' : score(f.target), numeric: true }, { content: none ? '–' : score(f.gap), numeric: true }]
      }
    })
  })
  const stages = h('p', { class: 'govuk-body-s app-summary-stages', dataset: { stages: String(pal.length) } },
    h('strong', {}, 'Stages: '),
    pal.map((s, i) => [i ? ' ' : '', h('strong', {}, `${s.label} (${range(s)})`), s.description ? ` ${s.description}` : '']))
  const steps = dims.filter((r) => r.key !== 'overall' && shownFig(r.fig) && r.fig.next)
  const next = h('ul', { class: 'govuk-list app-summary-next' }, steps.map((r) => {
    const q = (r.fig.next.questions || [])[0]
    return h('li', { dataset: { next: r.key } }, h('strong', {}, `${r.title}: `), r.fig.next.text || '',
      q ? [' ', h('em', {}, 'One step up: '), `“${q.next_level}”`] : '')
  }))
  main.replaceChildren(controls, ...head, key, figures, stages,
    h('h2', { class: 'govuk-heading-s' }, 'Next steps'), steps.length ? next : h('p', { class: 'govuk-body-s' }, 'The survey gives no next steps for these figures.'),
    note)
  main.dataset.view = 'summary'
  document.body.classList.add('app-summary-view')
}
