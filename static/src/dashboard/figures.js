// What the overview shows of a group in a column: its maturity score or its gap (target − now),
// withheld with its reason, or nothing; and how far a shown figure sits from the group above and
// from the department. A difference is only ever taken between two shown figures, never against a
// withheld one.
import { score, signed } from './format.js'

// measures are the two figures the overview can show.
export const measures = {
  score: { key: 'score', label: 'Maturity score' },
  gap: { key: 'gap', label: 'Gap between target and now' }
}

// figureSet is a group's overall or dimension figure set, or null.
function figureSet (g, column) {
  if (column === 'overall') return g.overall || null
  return (g.dimensions && g.dimensions[column]) || null
}

// valueOf is what a group shows in a column for a measure: {state: 'shown', value, fig},
// {state: 'withheld', reason, whole} (whole: the group itself is withheld) or {state: 'none'}.
export function valueOf (g, column, measure) {
  if (g.withheld) return { state: 'withheld', reason: g.reason, whole: true }
  const fig = figureSet(g, column)
  if (!fig) return { state: 'none' }
  if (fig.withheld) return { state: 'withheld', reason: fig.reason }
  const value = measure === 'gap' ? fig.gap : fig.mean
  if (value == null) return { state: 'none' }
  return { state: 'shown', value, fig }
}

// text writes a figure: a score to one decimal place, a gap with its sign.
export function text (value, measure, digits = 1) {
  if (measure === 'gap') return digits === 1 ? signed(value) : signed(Math.round(value)).replace(/\.0$/, '')
  return digits === 1 ? score(value) : String(Math.round(value))
}

// differences compares a group's shown figure with its parent's and the department's, where those
// are shown: [{against, by}], by rounded to one decimal place as the figures are.
export function differences (g, column, measure, t, department) {
  const own = valueOf(g, column, measure)
  if (own.state !== 'shown') return []
  const out = []
  const against = []
  const parent = g.parent ? t.byKey.get(g.parent) : null
  if (parent) against.push({ group: parent, name: parent === department ? 'the department' : parent.name })
  if (department && department !== g && department !== parent) against.push({ group: department, name: 'the department' })
  for (const a of against) {
    const other = valueOf(a.group, column, measure)
    if (other.state !== 'shown') continue
    out.push({ against: a.name, key: a.group.key, by: Math.round((own.value - other.value) * 10) / 10 })
  }
  return out
}

// differenceText writes differences the way a lead reads them: "+4.2 on Communications, −1.0 on
// the department".
export function differenceText (diffs) {
  return diffs.map((d) => `${signed(d.by)} on ${d.against}`).join(', ')
}

// shortReason is a withheld figure's reason in a few words, for a table cell.
export function shortReason (reason, k) {
  switch (reason) {
    case 'small': return `fewer than ${k} answered`
    case 'protects another': return 'would reveal a smaller group'
    case 'waiting for more answers': return 'waiting for more answers'
  }
  return 'too few to show'
}
