// The breakdown: each group's figures split by the answer to one question (role type by default),
// as a heatmap of group × answer rows by dimension, with withheld cells marked.
import { dashboardURL } from './api.js'
import { chartBlock } from './chart.js'
import { append, h, hidden, link } from './dom.js'
import { day, score, shortOption } from './format.js'
import { cellOf, heatmapOption } from './heatmap.js'
import { about, downloads, heading, section, waveCaption } from './page.js'
import { tree } from './tree.js'

export const levels = [
  { key: 'team', label: 'Teams' },
  { key: 'directorate', label: 'Directorates' },
  { key: 'department', label: 'The department' },
  { key: 'all', label: 'Every group' }
]

// breakdownWaits says, while a wave is open, that its breakdowns are published when it closes
// (see the report's breakdowns_after_closing): each team's answers join the figures in batches of
// at least the threshold, and a breakdown would split a batch into groups too small to show.
export function breakdownWaits (main, rep, picker) {
  const wave = rep.wave.key
  const closes = rep.wave.closes_at ? ` on ${day(rep.wave.closes_at)}` : ''
  main.replaceChildren(
    ...heading('Maturity by role type', waveCaption(rep.wave)),
    h('div', { class: 'govuk-grid-row' },
      h('div', { class: 'govuk-grid-column-two-thirds' },
        h('div', { class: 'govuk-inset-text', dataset: { notice: 'breakdowns-after-closing' } },
          `Breakdowns for this wave are published when it closes${closes}. While it is open, each team’s answers join the figures in batches of at least ${rep.wave.threshold}, so that nobody’s answer can be picked out; a breakdown would split those batches into groups too small to show.`),
        h('p', { class: 'govuk-body' }, link(dashboardURL({ wave }), 'See each group’s figures so far'))),
      h('div', { class: 'govuk-grid-column-one-third' }, picker)))
}

// breakdownPage draws the page. questions: [{key, text}] the breakdown questions the form offers.
export function breakdownPage (main, rep, pal, picker, { questions, level }) {
  const wave = rep.wave.key
  const bd = rep.breakdown
  const t = tree(rep.groups)
  const columns = [{ key: 'overall', label: 'Overall' }, ...rep.dimensions.map((d) => ({ key: d.key, label: d.title }))]
  const options = bd.options
  const optionLabel = new Map(options.map((o) => [o.key, shortOption(o.label)]))

  // Groups in hierarchy order, each followed by its cells.
  const ordered = []
  const walk = (g) => {
    ordered.push(g)
    for (const c of t.children(g.key)) walk(c)
  }
  for (const r of t.roots) walk(r)

  const rows = []
  for (const g of ordered) {
    for (const o of options) {
      const cell = g.withheld ? { withheld: true } : (g.cells || []).find((c) => c.option === o.key)
      const cells = {}
      for (const col of columns) {
        if (!cell || cell.withheld) cells[col.key] = cell ? { state: 'withheld' } : { state: 'none' }
        else cells[col.key] = cellOf(col.key === 'overall' ? cell.overall : cell.dimensions && cell.dimensions[col.key], pal)
      }
      rows.push({ id: `${g.key}|${o.key}`, group: g, option: o, cell, label: g.name, label2: optionLabel.get(o.key), depth: 0, cells })
    }
  }

  const chart = chartBlock({
    name: 'breakdown',
    title: `maturity by ${bd.question}`,
    description: `Heatmap of each group's mean maturity score in each dimension, split by the answer to "${bd.text}", coloured by stage. Withheld cells are hatched. The figures are in the table below the chart.`,
    fileName: `breakdown-${bd.question}-${wave}`,
    build: (width) => heatmapOption({ rows, columns, pal, width }),
    onClick: (p) => {
      if (p.componentType === 'series' && p.value) {
        const r = rows[p.value[1]]
        if (r) window.location.assign(dashboardURL({ wave, group: r.group.key }))
      }
    },
    tableOf: () => {
      const head = ['Group', 'Answer', { content: 'Responses', numeric: true }, ...columns.map((c) => ({ content: c.label, numeric: true }))]
      const body = h('tbody', { class: 'govuk-table__body' })
      for (const g of ordered) {
        options.forEach((o, i) => {
          const r = rows.find((x) => x.id === `${g.key}|${o.key}`)
          const tr = h('tr', { class: 'govuk-table__row', dataset: { group: g.key, option: o.key } })
          if (i === 0) {
            tr.append(h('th', { scope: 'rowgroup', rowspan: String(options.length), class: 'govuk-table__header' },
              link(dashboardURL({ wave, group: g.key }), g.name), g.withheld ? ' (withheld)' : ''))
          }
          const withheld = !r.cell || r.cell.withheld
          append(tr, [
            h('th', { scope: 'row', class: 'govuk-table__header app-option' }, optionLabel.get(o.key)),
            h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, withheld ? (r.cell ? 'Withheld' : '–') : String(r.cell.n)),
            columns.map((col) => {
              const c = r.cells[col.key]
              return h('td', { class: `govuk-table__cell govuk-table__cell--numeric${c.state === 'withheld' ? ' app-cell--withheld' : ''}`, dataset: { cell: c.state } },
                c.state === 'shown' ? [score(c.mean), h('span', { class: 'app-stage-name' }, ` ${c.stage ? c.stage.label : ''}`)]
                  : c.state === 'withheld' ? 'Withheld' : ['–', hidden(' no answers')])
            })])
          body.append(tr)
        })
      }
      return h('div', { class: 'app-table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Mean scores by group and answer (table)' },
        h('table', { class: 'govuk-table app-table--small' },
          h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, `Mean score and stage of each group, split by the answer to “${bd.text}”`),
          h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' },
            head.map((c) => h('th', { scope: 'col', class: `govuk-table__header${c.numeric ? ' govuk-table__header--numeric' : ''}` }, c.content ?? c)))),
          body))
    }
  })
  chart.container.dataset.rows = String(rows.length)

  const form = h('form', { method: 'get', action: '/dashboard', class: 'app-breakdown-form', novalidate: true },
    h('input', { type: 'hidden', name: 'wave', value: wave }),
    h('input', { type: 'hidden', name: 'view', value: 'breakdown' }),
    h('div', { class: 'app-form-row' },
      h('div', { class: 'govuk-form-group' },
        h('label', { class: 'govuk-label govuk-label--s', for: 'breakdown-question' }, 'Split by the answer to'),
        h('select', { class: 'govuk-select', id: 'breakdown-question', name: 'breakdown' },
          questions.map((q) => h('option', { value: q.key, selected: q.key === bd.question }, q.text)))),
      h('div', { class: 'govuk-form-group' },
        h('label', { class: 'govuk-label govuk-label--s', for: 'breakdown-level' }, 'Groups'),
        h('select', { class: 'govuk-select', id: 'breakdown-level', name: 'level' },
          levels.map((l) => h('option', { value: l.key, selected: l.key === level }, l.label))))),
    h('button', { type: 'submit', class: 'govuk-button govuk-button--secondary', 'data-module': 'govuk-button' }, 'Show breakdown'))

  const answers = h('dl', { class: 'govuk-summary-list govuk-summary-list--no-border app-answers' },
    options.map((o) => h('div', { class: 'govuk-summary-list__row' },
      h('dt', { class: 'govuk-summary-list__key' }, optionLabel.get(o.key)),
      h('dd', { class: 'govuk-summary-list__value' }, o.label))))

  main.replaceChildren(
    ...heading(`Maturity by ${bd.question === 'role-type' ? 'role type' : 'answer'}`, waveCaption(rep.wave)),
    h('div', { class: 'govuk-grid-row' },
      h('div', { class: 'govuk-grid-column-two-thirds' },
        h('p', { class: 'govuk-body' }, 'Each group’s figures split by the answer its respondents gave to “', h('strong', {}, bd.text), '”. A cell with fewer responses than the threshold is withheld, and so is a second cell wherever one alone would let it be worked out.'),
        about(rep)),
      h('div', { class: 'govuk-grid-column-one-third' }, picker)),
    form,
    section('breakdown', `Maturity by group and ${bd.question === 'role-type' ? 'role type' : 'answer'}`,
      h('h3', { class: 'govuk-heading-s' }, 'The answers'),
      answers,
      chart.block),
    downloads(wave, { level, breakdown: bd.question }, 'this breakdown'))
  chart.mount()
}
