// The overview's table: a row per group shown, in the tree's order, with a button in each header
// cell that sorts by its column (aria-sort says how), each figure with its difference from the
// group above and from the department, and a show or hide button on every group with teams.
import { dashboardURL } from './api.js'
import { h, hidden, link, uid } from './dom.js'
import { percent, whyWithheld } from './format.js'
import { differenceText, shortReason } from './figures.js'

export function overviewTable ({ wave, k, columns, isOpen, expandable, cellOf, state, onSort, onToggle }) {
  const id = uid('heatmap-table')
  let scope = ''
  const heads = [
    { key: 'name', label: 'Group' },
    { key: 'n', label: 'Responses', numeric: true },
    { key: 'rate', label: 'Response rate', numeric: true },
    ...columns.map((c) => ({ key: c.key, label: c.label, numeric: true }))
  ]
  const headCells = heads.map((c) => h('th', { scope: 'col', class: `govuk-table__header${c.numeric ? ' govuk-table__header--numeric' : ''}`, dataset: { column: c.key } },
    h('button', { type: 'button', class: 'app-sort-button', dataset: { sort: c.key }, onclick: () => onSort(c.key) },
      c.label, h('span', { class: 'app-sort-button__arrow', 'aria-hidden': 'true' }))))
  const caption = h('caption', { class: 'govuk-table__caption govuk-table__caption--s' })
  const body = h('tbody', { class: 'govuk-table__body' })
  const block = h('div', { class: 'app-table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Figures by group and dimension (table)', id },
    h('table', { class: 'govuk-table app-table--small app-overview-table' },
      caption,
      h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, headCells)),
      body))

  const figureCell = (c) => {
    const cls = 'govuk-table__cell govuk-table__cell--numeric'
    if (c.state === 'withheld') {
      return h('td', { class: `${cls} app-cell--withheld`, dataset: { cell: 'withheld', reason: c.reason || '' } },
        // A withheld group says why once, beside its name.
        'Withheld', c.whole ? null : h('span', { class: 'app-cell__why' }, shortReason(c.reason, k)))
    }
    if (c.state === 'none') {
      return h('td', { class: cls, dataset: { cell: 'none' } }, '–',
        hidden(state.measure === 'gap' ? ' no target asked, or too few answered it' : ' no answers'))
    }
    return h('td', { class: cls, dataset: { cell: 'shown', value: String(c.value) } },
      h('span', { class: 'app-cell__figure' }, c.text),
      state.measure === 'score' && c.stage ? h('span', { class: 'app-stage-name' }, c.stage.label) : null,
      state.measure === 'gap' ? h('span', { class: 'app-stage-name' }, `target ${c.fig.target.toFixed(1)}, now ${c.fig.now.toFixed(1)}`) : null,
      c.diffs.length ? h('span', { class: 'app-cell__diff', dataset: { diff: '' } }, differenceText(c.diffs)) : null)
  }

  const row = (g, depth) => {
    const name = h('th', { scope: 'row', class: `govuk-table__header app-depth-${Math.min(depth, 3)}` },
      link(dashboardURL({ wave, group: g.key }), g.name),
      g.key === scope ? h('strong', { class: 'govuk-tag govuk-tag--blue app-scope-tag', dataset: { scopeTag: '' } }, `Your ${g.level === 'directorate' ? 'directorate' : g.level === 'department' ? 'department' : 'team'}`) : null,
      g.withheld ? h('span', { class: 'app-withheld-note', dataset: { why: '' } }, ` (withheld: ${whyWithheld(g.reason, k)})`) : null)
    if (expandable(g)) {
      const open = isOpen(g)
      name.append(' ', h('button', {
        type: 'button',
        class: 'app-link-button app-overview-toggle',
        id: `toggle-table-${g.key}`,
        'aria-expanded': String(open),
        'aria-controls': id,
        dataset: { toggle: g.key, where: 'table' },
        onclick: () => onToggle(g.key)
      }, h('span', { class: 'app-toggle-verb' }, open ? 'Hide teams' : 'Show teams'), hidden(` in ${g.name}`)))
    }
    return h('tr', { class: 'govuk-table__row', dataset: { group: g.key, level: g.level }, 'aria-current': g.key === scope ? 'true' : null },
      name,
      h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, g.withheld ? 'Withheld' : String(g.n ?? '–')),
      h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, g.withheld ? 'Withheld' : g.headcount_outdated ? 'Headcount outdated' : g.response_rate == null ? 'Not known' : percent(g.response_rate)),
      columns.map((col) => figureCell(cellOf(g, col.key))))
  }

  return {
    id,
    block,
    // markScope names the reader's own team in its row.
    markScope (key) { scope = key },
    // render writes the rows shown, keeping focus on the button that had it.
    render (vis) {
      const focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement.id : ''
      caption.textContent = state.measure === 'gap'
        ? 'Gap between target and now (points) of each group in each dimension, and its difference from the group above and from the department'
        : 'Maturity score (0 to 100) and stage of each group in each dimension, and its difference from the group above and from the department'
      body.replaceChildren(...vis.map(({ g, depth }) => row(g, depth)))
      for (const th of headCells) {
        const sorted = th.dataset.column === state.sort.column
        if (sorted) th.setAttribute('aria-sort', state.sort.dir)
        else th.removeAttribute('aria-sort')
        th.querySelector('.app-sort-button__arrow').textContent = sorted ? (state.sort.dir === 'ascending' ? ' ▲' : ' ▼') : ''
      }
      if (focused) document.getElementById(focused)?.focus()
    }
  }
}
