// Continuous colour scales for the overview's heatmap. A score is coloured on a sequential scale
// (viridis, light at 0 to dark at 100, the stages' colours stretched out), so 43.8 and 58.9 look
// different even within one stage; a gap on a diverging one (blue where a team rates itself above
// its target, white at none, orange to dark red as the target runs ahead of now). Text on a colour
// is near-black or white, whichever contrasts more: always at least 4.5:1.
import { h } from './dom.js'
import { along, contrast, ink, paper, viridis as darkToLight } from './stages.js'

// Light at 0 to dark at 100.
const viridis = [...darkToLight].reverse()
// ColorBrewer's RdBu-like blue, a near-white middle, and its Oranges to a dark red.
const diverging = ['#2166ac', '#6ea6d1', '#d1e5f0', '#f7f7f7', '#fdd0a2', '#f16913', '#7f2704']

// textOn is the text colour for a fill: near-black or white, whichever contrasts more; where
// neither reaches 4.5:1 (a mid orange), black, which always does.
function textOn (colour) {
  const best = contrast(colour, ink) >= contrast(colour, paper) ? ink : paper
  return contrast(colour, best) >= 4.5 ? best : '#000000'
}

// scoreScale colours maturity scores from 0 to 100; its marks are where the stages begin.
export function scoreScale (pal) {
  return {
    kind: 'score',
    min: 0,
    max: 100,
    colour: (v) => along(viridis, v / 100),
    text: (v) => textOn(along(viridis, v / 100)),
    gradient: viridis,
    marks: pal.map((s) => ({ at: s.from, label: s.label })),
    ends: ['0', '100']
  }
}

// gapScale colours gaps (target − now) on a diverging scale: white at no gap, to the darkest orange
// at the largest gap shown and to the darkest blue at the largest negative one, each end rounded up
// to ten points (at least ten), so the gaps a wave actually has use the whole range of colours.
export function gapScale (gaps) {
  const up = (x) => Math.ceil(Math.max(10, x) / 10) * 10
  const hi = up(Math.max(0, ...gaps))
  const lo = -up(Math.max(0, ...gaps.map((g) => -g)))
  const t = (v) => v >= 0 ? 0.5 + 0.5 * Math.min(v, hi) / hi : 0.5 - 0.5 * Math.max(v, lo) / lo
  const zero = (-lo / (hi - lo)) * 100
  const mid = (diverging.length - 1) / 2
  return {
    kind: 'gap',
    min: lo,
    max: hi,
    colour: (v) => along(diverging, t(v)),
    text: (v) => textOn(along(diverging, t(v))),
    // The bar runs from lo to hi with no gap where it is, each side at its own pace.
    gradient: diverging.map((c, i) => `${c} ${i <= mid ? (i / mid) * zero : zero + ((i - mid) / mid) * (100 - zero)}%`),
    marks: [{ at: 0, label: 'No gap' }],
    ends: [`−${-lo}`, `+${hi}`]
  }
}

// legend draws a scale as a bar with its marks, and says in words what its colours mean. Colours
// are set through the CSSOM (the Content-Security-Policy forbids style attributes, not this).
export function legend (scale, pal) {
  const pct = (v) => `${((v - scale.min) / (scale.max - scale.min)) * 100}%`
  const bar = h('div', { class: 'app-scale__bar', 'aria-hidden': 'true' })
  bar.style.backgroundImage = `linear-gradient(to right, ${scale.gradient.join(', ')})`
  const ticks = h('div', { class: 'app-scale__ticks', 'aria-hidden': 'true' })
  const at = scale.kind === 'score'
    ? [...scale.marks.map((m) => ({ v: m.at, label: String(m.at) })), { v: 100, label: '100' }]
    : [{ v: scale.min, label: scale.ends[0] }, { v: 0, label: '0' }, { v: scale.max, label: scale.ends[1] }]
  for (const m of at) {
    const tick = h('span', { class: 'app-scale__tick', dataset: { at: String(m.v) } }, m.label)
    tick.style.left = pct(m.v)
    if (m.v === scale.max) tick.classList.add('app-scale__tick--end')
    if (m.v > scale.min && m.v < scale.max) {
      const line = h('span', { class: 'app-scale__mark' })
      line.style.left = pct(m.v)
      bar.append(line)
    }
    ticks.append(tick)
  }
  const swatch = (v) => {
    const s = h('span', { class: 'app-scale__swatch', 'aria-hidden': 'true' })
    s.style.backgroundColor = scale.colour(v)
    return s
  }
  const words = scale.kind === 'score'
    ? [h('p', { class: 'govuk-body-s app-scale__words' }, 'The colour darkens as the score rises, so every point shows. The marks on the scale are where each stage begins:'),
        h('ul', { class: 'govuk-list govuk-body-s app-scale__stages' },
          pal.map((s) => h('li', { dataset: { stage: s.key } }, swatch((s.from + s.to) / 2), ` ${s.label}: ${s.from} to ${s.to}`)))]
    : [h('p', { class: 'govuk-body-s app-scale__words' },
        swatch(scale.max * 0.9), ' The darker the orange, the bigger the gap: the team wants much more than it has. ',
        swatch(0), ' White: no gap. ',
        swatch(scale.min * 0.9), ' Blue: the team says it is already beyond where it should be. A blank cell: no question of that dimension asks for both.')]
  return h('div', { class: 'app-scale', dataset: { scale: scale.kind } },
    h('p', { class: 'govuk-body-s govuk-!-font-weight-bold app-scale__title' }, scale.kind === 'score' ? 'Colour scale: maturity score, 0 to 100' : `Colour scale: gap in points, ${scale.ends[0]} to ${scale.ends[1]}`),
    bar, ticks, ...words)
}
