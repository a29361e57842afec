// Stage colours: the viridis scale (perceptually even and readable with the common colour
// vision deficiencies), light for the first stage (aspiration) to dark for the last (reality). Text
// on a stage colour is near-black or white, whichever contrasts more; either way at least 4.5:1.

export const viridis = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725']
export const ink = '#0b0c0c'
export const paper = '#ffffff'
export const border = '#505a5f'

function rgb (hex) {
  const n = parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

function toHex ([r, g, b]) {
  return '#' + [r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')
}

// along samples a list of colours at t in [0, 1], mixing the two nearest.
export function along (stops, t) {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1)
  const i = Math.min(Math.floor(x), stops.length - 2)
  const f = x - i
  const a = rgb(stops[i])
  const b = rgb(stops[i + 1])
  return toHex(a.map((v, k) => v + (b[k] - v) * f))
}

// luminance and contrast as WCAG 2 defines them.
export function luminance (hex) {
  const [r, g, b] = rgb(hex).map((v) => {
    const c = v / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

export function contrast (a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

// palette gives each of the report's stages a colour and a text colour.
export function palette (stages) {
  const n = stages.length
  return stages.map((s, i) => {
    const colour = along(viridis, n === 1 ? 0.5 : 1 - i / (n - 1))
    const text = contrast(colour, ink) >= contrast(colour, paper) ? ink : paper
    const next = stages[i + 1]
    return { ...s, colour, text, to: next ? next.from : 100 }
  })
}

// stageOf finds the stage a score sits in.
export function stageOf (pal, value) {
  let found = pal[0]
  for (const s of pal) if (value >= s.from) found = s
  return found
}

export function stageByKey (pal, key) {
  return pal.find((s) => s.key === key) || null
}
