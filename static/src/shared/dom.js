// Small DOM helpers shared by the survey and the dashboard. Everything is built with createElement
// and text nodes, never innerHTML, so nothing a definition, a team name or the hierarchy holds can
// become markup; no style attributes are written (the Content-Security-Policy forbids them), only
// classes.

const SVG = 'http://www.w3.org/2000/svg'

// set applies attributes: class (a string or a list, falsy items left out), text (textContent),
// dataset, on* (event listeners); false, null and undefined leave an attribute out, true writes it
// empty.
function set (el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue
    if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value)
    } else if (key === 'text') {
      el.textContent = value
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value)
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value)
    } else if (key === 'style') {
      throw new Error('style attributes are not allowed')
    } else {
      el.setAttribute(key, value === true ? '' : String(value))
    }
  }
}

// append adds children (nodes, strings, nested lists), skipping null, undefined and false.
export function append (el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
  return el
}

// h makes an element: h('a', {class: 'govuk-link', href: '/x'}, 'text', child, [more children]).
export function h (tag, attrs, ...children) {
  const el = document.createElement(tag)
  set(el, attrs)
  return append(el, children)
}

// s makes an SVG element.
export function s (tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag)
  set(el, attrs)
  return append(el, children)
}

// hidden is text for screen readers only.
export function hidden (text) {
  return h('span', { class: 'govuk-visually-hidden' }, text)
}

let ids = 0
// uid makes an id unique in the page.
export function uid (prefix) {
  ids += 1
  return `${prefix}-${ids}`
}

// link is a GOV.UK link.
export function link (href, ...children) {
  return h('a', { class: 'govuk-link', href }, ...children)
}

// table builds a GOV.UK table with a caption, a header row and body rows. Each row is an array of
// cells; a cell is a string, a node, or {text|content, header, numeric, attrs}. The first cell of
// every body row is a row header. The table sits in a region that scrolls sideways on a phone.
export function table ({ caption, head, rows, label, small = true }) {
  const cell = (tag, c, i) => {
    const spec = (c && typeof c === 'object' && !(c instanceof Node) && !Array.isArray(c)) ? c : { content: c }
    const classes = [`govuk-table__${tag === 'th' ? 'header' : 'cell'}`]
    if (spec.numeric) classes.push(`govuk-table__${tag === 'th' ? 'header' : 'cell'}--numeric`)
    if (spec.classes) classes.push(spec.classes)
    const attrs = { class: classes.join(' '), ...(spec.attrs || {}) }
    if (tag === 'th') attrs.scope = spec.scope || (i === undefined ? 'col' : 'row')
    return h(tag, attrs, spec.text ?? spec.content)
  }
  const t = h('table', { class: `govuk-table${small ? ' app-table--small' : ''}` },
    caption ? h('caption', { class: 'govuk-table__caption govuk-table__caption--s' }, caption) : null,
    h('thead', { class: 'govuk-table__head' }, h('tr', { class: 'govuk-table__row' }, head.map((c) => cell('th', c)))),
    h('tbody', { class: 'govuk-table__body' }, rows.map((row) => tableRow(row, cell))))
  return h('div', { class: 'app-table-scroll', tabindex: '0', role: 'region', 'aria-label': label || caption }, t)
}

function tableRow (row, cell) {
  const cells = Array.isArray(row) ? row : row.cells
  return h('tr', { class: 'govuk-table__row', ...(Array.isArray(row) ? {} : row.attrs || {}) },
    cells.map((c, i) => i === 0 ? cell('th', c, i) : cell('td', c)))
}

// details is a GOV.UK details element.
export function details (summary, ...content) {
  return h('details', { class: 'govuk-details' },
    h('summary', { class: 'govuk-details__summary' }, h('span', { class: 'govuk-details__summary-text' }, summary)),
    h('div', { class: 'govuk-details__text' }, ...content))
}

// tag is a GOV.UK tag.
export function tag (text, colour) {
  return h('strong', { class: `govuk-tag${colour ? ` govuk-tag--${colour}` : ''}` }, text)
}

// capitalise turns "working" into "Working".
export function capitalise (text) {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text
}

// quoted wraps a question's text in curly quotes for messages.
export function quoted (text) {
  return '\u201c' + text + '\u201d'
}

// longDate writes an ISO date or time as "28 November 2026".
export function longDate (value) {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return ''
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}
