// The overview: the heatmap of groups by dimension. The department and its directorates show
// first; a directorate's button (above the chart, and in its row of the table) adds its teams.
import { dashboardURL } from './api.js'
import { chartBlock } from './chart.js'
import { h, hidden, link, uid } from './dom.js'
import { percent, plural, score } from './format.js'
import { cellOf, heatmapOption } from './heatmap.js'
import { about, downloads, heading, section, waveCaption } from './page.js'
import { tree } from './tree.js'

export function overview (main, rep, pal, picker) {
  const wave = rep.wave.key
  const t = tree(rep.groups)
  const columns = [{ key: 'overall', label: 'Overall' }, ...rep.dimensions.map((d) => ({ key: d.key, label: d.title }))]
  // Roots always show their children; other groups with children start collapsed.
  const expanded = new Set(t.roots.map((r) => r.key))
  const expandable = (g) => !t.roots.includes(g) && t.children(g.key).length > 0

  const visible = () => {
    const out = []
    const walk = (g, depth) => {
      out.push({ g, depth })
      if (expanded.has(g.key)) for (const c of t.children(g.key)) walk(c, depth + 1)
    }
    for (const r of t.roots) walk(r, 0)
    return out
  }

  const cellsOf = (g) => {
    const cells = {}
    for (const col of columns) {
      if (g.withheld) cells[col.key] = { state: 'withheld' }
      else cells[col.key] = cellOf(col.key === 'overall' ? g.overall : g.dimensions && g.dimensions[col.key], pal)
    }
    return cells
  }

  const toggles = []
  const toggle = (key) => {
    if (expanded.has(key)) expanded.delete(key)
    else expanded.add(key)
    sync()
  }

  // The table holds a row for every group; rows of collapsed groups are hidden, so a focused
  // button survives expanding and collapsing.
  const tableId = uid('heatmap-table')
  const rowOf = new Map()
  const buildTable = () => {
    const head = ['Group', { content: 'Responses', numeric: true }, { content: 'Response rate', numeric: true },
      ...columns.map((c) => ({ content: c.label, numeric: true }))]
    const all = []
    const walk = (g, depth) => {
      all.push({ g, depth })
      for (const c of t.children(g.key)) walk(c, depth + 1)
    }
    for (const r of t.roots) walk(r, 0)
    const body = h('tbody', { class: 'govuk-table__body' })
    for (const { g, depth } of all) {
      const nameCell = h('th', { scope: 'row', class: `govuk-table__header app-depth-${Math.min(depth, 3)}` },
        link(dashboardURL({ wave, group: g.key }), g.name),
        g.withheld ? h('span', { class: 'app-withheld-note' }, ' (withheld)') : null)
      if (expandable(g)) nameCell.append(' ', toggleButton(g, 'table'))
      const tr = h('tr', { class: 'govuk-table__row', dataset: { group: g.key, level: g.level } },
        nameCell,
        h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, g.withheld ? 'Withheld' : String(g.n ?? '–')),
        h('td', { class: 'govuk-table__cell govuk-table__cell--numeric' }, g.withheld ? 'Withheld' : g.headcount_outdated ? 'Headcount outdated' : g.response_rate == null ? 'Not known' : percent(g.response_rate)),
        columns.map((col) => {
          const c = cellsOf(g)[col.key]
          return h('td', { class: `govuk-table__cell govuk-table__cell--numeric${c.state === 'withheld' ? ' app-cell--withheld' : ''}`, dataset: { cell: c.state } },
            c.state === 'shown' ? [score(c.mean), h('span', { class: 'app-stage-name' }, ` ${c.stage ? c.stage.label : ''}`)]
              : c.state === 'withheld' ? 'Withheld' : ['–', hidden(' no answers')])
        }))
      rowOf.set(g.key, tr)
      body.append(tr)
    }
    return h('div', { class: 'app-table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Mean scores by group and dimension (table)', id: tableId },
      h('table', { class: 'govuk-table app-table--small' },
        h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, 'Mean score (0 to 100) and stage of each group in each dimension'),
        h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' },
          head.map((c) => h('th', { scope: 'col', class: `govuk-table__header${c.numeric ? ' govuk-table__header--numeric' : ''}` }, c.content ?? c)))),
        body))
  }

  // toggleButton shows or hides a group's teams; 'chart' buttons sit above the chart and name the
  // group in visible text, 'table' buttons sit in the group's row and name it to screen readers.
  function toggleButton (g, where) {
    const b = h('button', {
      type: 'button',
      class: where === 'chart' ? 'govuk-button govuk-button--secondary app-toggle' : 'app-link-button',
      id: `toggle-${where}-${g.key}`,
      'aria-expanded': 'false',
      'aria-controls': tableId,
      dataset: { toggle: g.key, where },
      onclick: () => toggle(g.key)
    }, h('span', { class: 'app-toggle-verb' }, 'Show teams'),
    where === 'chart' ? h('span', {}, ` in ${g.name}`) : hidden(` in ${g.name}`))
    toggles.push(b)
    return b
  }

  const expandableGroups = [...t.byKey.values()].filter(expandable)
  const controls = expandableGroups.length
    ? h('div', { class: 'app-toggles' },
      h('ul', { class: 'app-toggles__list', 'aria-label': 'Teams shown in the chart' },
        expandableGroups.map((g) => h('li', {}, toggleButton(g, 'chart')))))
    : null

  let rows = []
  const heatmap = chartBlock({
    name: 'heatmap',
    title: 'maturity by group and dimension',
    description: 'Heatmap of the mean maturity score of each group in each dimension, coloured by stage. Withheld cells are hatched. The figures are in the table below the chart.',
    fileName: `maturity-${wave}`,
    build: (width) => heatmapOption({ rows, columns, pal, width, description: '' }),
    onClick: (p) => {
      if (p.componentType === 'yAxis') {
        const g = t.byKey.get(p.value)
        if (g && expandable(g)) toggle(g.key)
      } else if (p.componentType === 'series' && p.value) {
        const r = rows[p.value[1]]
        if (r) window.location.assign(dashboardURL({ wave, group: r.id }))
      }
    }
  })
  const table = buildTable()

  function sync () {
    const vis = visible()
    rows = vis.map(({ g, depth }) => ({
      id: g.key,
      label: g.name,
      depth,
      expandable: expandable(g),
      expanded: expanded.has(g.key),
      cells: cellsOf(g)
    }))
    const shownKeys = new Set(vis.map((v) => v.g.key))
    for (const [key, tr] of rowOf) tr.hidden = !shownKeys.has(key)
    for (const b of toggles) {
      const open = expanded.has(b.dataset.toggle)
      b.setAttribute('aria-expanded', String(open))
      b.querySelector('.app-toggle-verb').textContent = open ? 'Hide teams' : 'Show teams'
    }
    heatmap.container.dataset.rows = String(rows.length)
    if (mounted) heatmap.render()
  }
  let mounted = false

  const withheldCount = rep.groups.filter((g) => g.withheld).length
  const root = t.roots[0]
  main.replaceChildren(
    ...heading('Digital maturity by team', waveCaption(rep.wave)),
    h('div', { class: 'govuk-grid-row' },
      h('div', { class: 'govuk-grid-column-two-thirds' },
        about(rep),
        root && !root.withheld
          ? h('p', { class: 'govuk-body' }, `${plural(root.n, 'person has', 'people have')} answered across ${plural(rep.groups.length, 'group', 'groups')}`,
            withheldCount ? `; ${plural(withheldCount, 'group is', 'groups are')} withheld.` : '.')
          : null),
      h('div', { class: 'govuk-grid-column-one-third' }, picker)),
    section('heatmap', 'Maturity by group and dimension',
      h('p', { class: 'govuk-body' }, 'Each cell is a group’s mean score in a dimension, coloured by its stage. Hatched cells are withheld. Choose a group in the table to see its own page.'),
      controls,
      heatmap.block),
    downloads(wave, { level: 'all' }, 'this page'))
  heatmap.block.querySelector('.app-chart__table').replaceChildren(table)
  sync()
  heatmap.mount()
  mounted = true
}
