// Small DOM helpers. Everything the dashboard shows is built with createElement and text nodes,
// never innerHTML, so names from the hierarchy or the definition can never become markup.

// h makes an element: h('a', {class: 'govuk-link', href: '/x'}, 'text', child, [more children]).
// Attributes named on* add event listeners; `text` sets textContent; false or null leave one out.
export function h (tag, attrs, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue
    if (key === 'class') el.className = value
    else if (key === 'text') el.textContent = value
    else if (key === 'dataset') Object.assign(el.dataset, value)
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value)
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  append(el, children)
  return el
}

// append adds children (nodes, strings, nested arrays), skipping null and false.
export function append (el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
  return el
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
  const tr = h('tr', { class: 'govuk-table__row', ...(Array.isArray(row) ? {} : row.attrs || {}) },
    cells.map((c, i) => i === 0 ? cell('th', c, i) : cell('td', c)))
  return tr
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
