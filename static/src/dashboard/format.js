// How figures are written on the page: scores to one decimal place (as the API gives them), shares
// as whole percentages.

export function score (x) {
  return x == null ? '–' : Number(x).toFixed(1)
}

export function percent (x) {
  return x == null ? '–' : `${Math.round(Number(x) * 100)}%`
}

export function signed (x) {
  if (x == null) return '–'
  const v = Number(x)
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(1)}`
}

export function day (iso) {
  if (!iso) return ''
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}

// shortOption shortens a breakdown option's label to the words before its explanation
// ("Digital specialist: digital is the main part..." becomes "Digital specialist").
export function shortOption (label) {
  const head = String(label).split(/[:(]/)[0].trim()
  return head.length > 40 ? `${head.slice(0, 39)}…` : head
}

export function plural (n, one, many) {
  return `${n} ${n === 1 ? one : many}`
}

// whyWithheld says in words why a group's figures are withheld, from the report's reason.
export function whyWithheld (reason, k) {
  switch (reason) {
    case 'small': return `fewer than ${k} people answered for it`
    case 'protects another': return 'enough people answered, but showing its figures would let someone work out another, smaller group\'s figures'
    case 'waiting for more answers': return 'its first answers are held back until enough arrive to show them together, so nobody can watch one person\'s answer appear'
  }
  return `fewer than ${k} people answered for it, or showing it would let someone work out another small group's figures`
}

// withheldLabel says in a few words why one figure is withheld, for the place it would stand in.
export function withheldLabel (reason, k) {
  switch (reason) {
    case 'small': return `Withheld: fewer than ${k} people answered`
    case 'protects another': return 'Withheld to protect a smaller group'
    case 'waiting for more answers': return 'Waiting for more answers'
  }
  return 'Withheld'
}

// shares turns counts into whole percentages that add up to 100 (largest remainder), so a
// distribution read as shares never shows 99% or 101% in all.
export function shares (counts) {
  const total = counts.reduce((s, c) => s + c, 0)
  if (!total) return counts.map(() => 0)
  const exact = counts.map((c) => (c * 100) / total)
  const out = exact.map(Math.floor)
  let left = 100 - out.reduce((s, c) => s + c, 0)
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (const [, i] of order) {
    if (left <= 0) break
    out[i] += 1
    left -= 1
  }
  return out
}

// today is the date a chart is saved or a page printed on, as "5 December 2026".
export function today () {
  return day(new Date().toISOString().slice(0, 10))
}
