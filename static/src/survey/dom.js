// Small DOM helpers. Text is always set as text, never as HTML, so nothing a definition or a team
// name holds can become markup; no style attributes are written (the Content-Security-Policy
// forbids them), only classes.

const SVG = 'http://www.w3.org/2000/svg'

function set (el, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue
    if (name === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value)
    } else if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value)
    } else if (name === 'style') {
      throw new Error('style attributes are not allowed')
    } else {
      el.setAttribute(name, value === true ? '' : String(value))
    }
  }
}

function add (el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue
    el.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

// h makes an element: h('p', {class: 'govuk-body'}, 'text', otherNode).
export function h (tag, attrs, ...children) {
  const el = document.createElement(tag)
  set(el, attrs)
  add(el, children)
  return el
}

// s makes an SVG element.
export function s (tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag)
  set(el, attrs)
  add(el, children)
  return el
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
