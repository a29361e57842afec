// The overview: a heatmap of groups by dimension, coloured on a continuous scale, with a table of
// the same figures beside it. A lead chooses what the colours show (the maturity score or the gap
// between target and now), narrows it to a directorate, sorts the table by any column, and reads
// each figure's difference from the group above and from the department. The hierarchy starts
// open to the reader's own scope (read from the session), so their teams are one click away.
import { dashboardURL, session } from './api.js'
import { chartBlock, wrapText } from './chart.js'
import { h, uid } from './dom.js'
import { plural, whyWithheld } from './format.js'
import { differenceText, differences, measures, text, valueOf } from './figures.js'
import { heatmapOption } from './heatmap.js'
import { overviewTable } from './overview-table.js'
import { about, downloads, heading, section, waveCaption } from './page.js'
import { gapScale, legend, scoreScale } from './scale.js'
import { tree } from './tree.js'

export function overview (main, rep, pal, picker) {
  const wave = rep.wave.key
  const k = rep.wave.threshold
  const t = tree(rep.groups)
  const department = rep.groups.find((g) => g.level === 'department') || t.roots[0] || null
  const columns = [{ key: 'overall', label: 'Overall' }, ...rep.dimensions.map((d) => ({ key: d.key, label: d.title }))]
  const directorates = rep.groups.filter((g) => g.level === 'directorate')
  const state = { measure: 'score', directorate: '', sort: { column: 'name', dir: 'ascending' }, expanded: new Set() }
  const expandable = (g) => g !== department && t.children(g.key).length > 0

  // openTo opens the tree down to a group and everything below it.
  const openTo = (key) => {
    const g = t.byKey.get(key)
    if (!g) return false
    for (const a of t.ancestors(key)) state.expanded.add(a.key)
    const all = (x) => { state.expanded.add(x.key); for (const c of t.children(x.key)) all(c) }
    all(g)
    return true
  }
  for (const r of t.roots) openTo(r.key)

  const scales = {
    score: scoreScale(pal),
    gap: gapScale(rep.groups.flatMap((g) => columns.map((c) => valueOf(g, c.key, 'gap'))).filter((v) => v.state === 'shown').map((v) => v.value))
  }

  // sortValue is what a column sorts by; groups with nothing to show sort last either way.
  const sortValue = (g, column) => {
    if (column === 'name') return g.name
    if (g.withheld) return null
    if (column === 'n') return g.n ?? null
    if (column === 'rate') return g.headcount_outdated ? null : g.response_rate ?? null
    const v = valueOf(g, column, state.measure)
    return v.state === 'shown' ? v.value : null
  }
  const ordered = (list) => {
    const { column, dir } = state.sort
    const sign = dir === 'descending' ? -1 : 1
    return [...list].sort((a, b) => {
      const x = sortValue(a, column)
      const y = sortValue(b, column)
      if (x == null || y == null) return (x == null) - (y == null) || a.name.localeCompare(b.name)
      const c = typeof x === 'string' ? x.localeCompare(y) : x - y
      return sign * c || a.name.localeCompare(b.name)
    })
  }
  const tops = () => state.directorate ? [t.byKey.get(state.directorate)].filter(Boolean) : t.roots

  // visible lists the groups shown, in order, each with its depth: the tree under the chosen
  // directorate (or the whole tree), siblings in the table's order, collapsed groups' teams left out.
  const visible = () => {
    const out = []
    const walk = (g, depth) => {
      out.push({ g, depth })
      if (state.expanded.has(g.key) || !expandable(g)) for (const c of ordered(t.children(g.key))) walk(c, depth + 1)
    }
    // The department comes first; a lead's own team, whose directorate is not theirs to see, after it.
    for (const r of ordered(tops()).sort((a, b) => (b === department) - (a === department))) walk(r, 0)
    return out
  }

  // cellOf is one group's figure in one column, ready for the heatmap and the table.
  const cellOf = (g, column) => {
    const v = valueOf(g, column, state.measure)
    if (v.state === 'withheld') return { state: 'withheld', reason: v.reason, whole: !!v.whole, why: wrapText(whyWithheld(v.reason, k), 44, 5) }
    if (v.state === 'none') return { state: 'none' }
    const diffs = differences(g, column, state.measure, t, department)
    const stage = pal.find((s) => s.key === v.fig.stage) || null
    const head = state.measure === 'gap'
      ? `Gap ${text(v.value, 'gap')}: target ${text(v.fig.target, 'score')}, now ${text(v.fig.now, 'score')}`
      : `${text(v.value, 'score')}${stage ? ` (${stage.label})` : ''}`
    return {
      state: 'shown',
      value: v.value,
      text: text(v.value, state.measure),
      short: text(v.value, state.measure, 0),
      stage,
      fig: v.fig,
      diffs,
      tip: [head, ...diffs.map((d) => differenceText([d]))].join('\n')
    }
  }

  const status = h('p', { class: 'govuk-body app-overview__status', role: 'status', dataset: { overviewStatus: '' } })
  const table = overviewTable({
    wave,
    k,
    columns,
    t,
    isOpen: (g) => state.expanded.has(g.key),
    expandable,
    cellOf,
    state,
    onSort: (column) => {
      const same = state.sort.column === column
      state.sort = { column, dir: same && state.sort.dir === 'ascending' ? 'descending' : 'ascending' }
      sync()
    },
    onToggle: (key) => toggle(key)
  })

  function toggle (key) {
    if (state.expanded.has(key)) state.expanded.delete(key)
    else state.expanded.add(key)
    sync()
  }

  // The controls: what the colours show, and which directorate.
  const measureName = uid('measure')
  const radio = (m, hint) => {
    const id = `${measureName}-${m.key}`
    return h('div', { class: 'govuk-radios__item' },
      h('input', { class: 'govuk-radios__input', id, name: measureName, type: 'radio', value: m.key, checked: m.key === state.measure, 'aria-describedby': `${id}-hint`, dataset: { measure: m.key }, onchange: () => { state.measure = m.key; sync() } }),
      h('label', { class: 'govuk-label govuk-radios__label', for: id }, m.label),
      h('div', { class: 'govuk-hint govuk-radios__hint', id: `${id}-hint` }, hint))
  }
  const measureControl = h('div', { class: 'govuk-form-group app-overview__control' },
    h('fieldset', { class: 'govuk-fieldset' },
      h('legend', { class: 'govuk-fieldset__legend govuk-fieldset__legend--s' }, 'What the colours and figures show'),
      h('div', { class: 'govuk-radios govuk-radios--small', 'data-module': 'govuk-radios' },
        radio(measures.score, 'How digital the work is now: the mean of every answer, 0 to 100.'),
        radio(measures.gap, 'Target minus now, in points, from the questions that ask both. A big gap means the team wants much more than it has.'))))
  const directorateControl = directorates.length > 1
    ? h('div', { class: 'govuk-form-group app-overview__control' },
      h('label', { class: 'govuk-label govuk-label--s', for: 'overview-directorate' }, 'Directorate'),
      h('select', { class: 'govuk-select', id: 'overview-directorate', onchange: (e) => { state.directorate = e.target.value; sync() } },
        h('option', { value: '' }, 'All directorates'),
        directorates.map((d) => h('option', { value: d.key }, d.name))))
    : null

  // The chart's own show and hide buttons name the group in visible text.
  const toggles = []
  const toggleButton = (g) => {
    const b = h('button', {
      type: 'button',
      class: 'govuk-button govuk-button--secondary app-toggle',
      id: `toggle-chart-${g.key}`,
      'aria-expanded': 'true',
      'aria-controls': table.id,
      dataset: { toggle: g.key, where: 'chart' },
      onclick: () => toggle(g.key)
    }, h('span', { class: 'app-toggle-verb' }, 'Hide teams'), h('span', {}, ` in ${g.name}`))
    toggles.push(b)
    return h('li', { dataset: { under: t.ancestors(g.key).map((a) => a.key).concat(g.key).join(' ') } }, b)
  }
  const expandableGroups = [...t.byKey.values()].filter(expandable)
  const toggleList = expandableGroups.length
    ? h('div', { class: 'app-toggles' },
      h('ul', { class: 'app-toggles__list', 'aria-label': 'Teams shown in the chart' }, expandableGroups.map(toggleButton)))
    : null

  let rows = []
  const heatmap = chartBlock({
    name: 'heatmap',
    title: 'maturity by group and dimension',
    description: 'Heatmap of each group in each dimension, with the figure in each cell, coloured on a continuous scale. Withheld cells are hatched. The figures, with why a cell is withheld, are in the table below the chart.',
    fileName: `maturity-${wave}`,
    build: (width) => heatmapOption({ rows, columns, pal, width, description: '', scale: scales[state.measure] }),
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
  const scaleHolder = h('div', { class: 'app-scale-holder' })

  let mounted = false
  function sync () {
    const vis = visible()
    rows = vis.map(({ g, depth }) => ({
      id: g.key,
      label: g.name,
      depth,
      expandable: expandable(g),
      expanded: state.expanded.has(g.key),
      cells: Object.fromEntries(columns.map((c) => [c.key, cellOf(g, c.key)]))
    }))
    table.render(vis)
    for (const b of toggles) {
      const open = state.expanded.has(b.dataset.toggle)
      b.setAttribute('aria-expanded', String(open))
      b.querySelector('.app-toggle-verb').textContent = open ? 'Hide teams' : 'Show teams'
      b.closest('li').hidden = !!state.directorate && !b.closest('li').dataset.under.split(' ').includes(state.directorate)
    }
    scaleHolder.replaceChildren(legend(scales[state.measure], pal))
    const where = state.directorate ? ` in ${t.byKey.get(state.directorate)?.name}` : ''
    const what = state.measure === 'gap' ? 'gaps between target and now' : 'maturity scores'
    const column = state.sort.column === 'name' ? 'group' : state.sort.column === 'n' ? 'responses' : state.sort.column === 'rate' ? 'response rate' : columns.find((c) => c.key === state.sort.column)?.label
    status.textContent = `Showing ${what} for ${plural(vis.length, 'group', 'groups')}${where}, sorted by ${column}, ${state.sort.dir === 'ascending' ? (state.sort.column === 'name' ? 'A to Z' : 'lowest first') : (state.sort.column === 'name' ? 'Z to A' : 'highest first')}.`
    heatmap.container.dataset.rows = String(rows.length)
    heatmap.container.dataset.measure = state.measure
    if (mounted) heatmap.render()
  }

  const withheldCount = rep.groups.filter((g) => g.withheld).length
  const root = department
  main.replaceChildren(
    ...heading('Digital maturity by team', waveCaption(rep.wave)),
    h('div', { class: 'govuk-grid-row' },
      h('div', { class: 'govuk-grid-column-two-thirds' },
        about(rep),
        root && !root.withheld
          ? h('p', { class: 'govuk-body' }, `${plural(root.n, 'person has', 'people have')} answered across ${plural(rep.groups.length, 'group', 'groups')}`,
            withheldCount ? `; ${plural(withheldCount, 'group is', 'groups are')} withheld.` : '.')
          : null),
      h('div', { class: 'govuk-grid-column-one-third' },
        // A heading for the picker, so its list's heading follows an h2.
        h('h2', { class: 'govuk-heading-s', id: 'wave-choice' }, 'Choose a wave'),
        picker)),
    section('heatmap', 'Maturity by group and dimension',
      h('p', { class: 'govuk-body' }, 'Each cell holds a group’s figure in a dimension; the darker the colour, the higher the figure. Hatched cells are withheld, and the table says why. Choose a group in the table to see its own page.'),
      h('div', { class: 'app-overview__controls' }, measureControl, directorateControl),
      status,
      scaleHolder,
      toggleList,
      heatmap.block),
    downloads(wave, { level: 'all' }, 'this page'))
  heatmap.block.querySelector('.app-chart__table').replaceChildren(table.block)
  // The table of figures is what a lead sorts and compares: open from the start.
  heatmap.block.querySelector('details')?.setAttribute('open', '')
  sync()
  heatmap.mount()
  mounted = true

  // The reader's own scope: a lead's team opens with its subtree; others see the whole tree. The
  // figures do not wait for it.
  session().then((who) => {
    if (who && who.role === 'lead' && who.scope && openTo(who.scope)) {
      table.markScope(who.scope)
      sync()
    }
  }).catch(() => {}).finally(() => { table.block.dataset.scope = 'ready' })
}
