// Charts: Apache ECharts tree-shaken to what the dashboard draws, rendered as SVG (no canvas, no
// inline style attributes, nothing from another origin), with ARIA on, no animation (it adds
// nothing to a figure and costs a phone seconds of work), a "Save chart as image" button and a
// table of the figures under each. A chart is drawn when it comes near the screen; its container
// carries data-chart-ready="true" once ECharts has finished drawing it.
import { details, h, hidden } from './dom.js'
import { border, ink, paper } from './stages.js'
import { today } from './format.js'

// ECharts is most of the dashboard's script, and no chart is drawn before the figures arrive, so
// it is fetched when the first chart comes near the screen, after the page's words and tables are
// shown (on a phone's network it would otherwise hold them up by seconds). A chart asked to draw
// before it has come keeps its place and waits for it. A failed fetch is not tried again
// (browsers keep a module's failure for the page's life): each chart says so where it would be.
let echarts = null
let loading = null
function loadCharts () {
  loading ||= import('./echarts.js').then((m) => { echarts = m })
  return loading
}

// Width below which charts lay themselves out for a phone.
export const narrowWidth = 560

// Width a chart is drawn at for printing: A4's 186 mm between 12 mm margins, less a little.
const printWidth = 680

export const font = { fontFamily: 'Arial, sans-serif', color: ink }

// base is what every chart's option starts from.
export function base (description) {
  return {
    backgroundColor: paper,
    animation: false,
    textStyle: { ...font, fontSize: 13 },
    aria: { enabled: true, label: { description } },
    tooltip: {
      // richText draws the tooltip inside the SVG: the HTML tooltip writes style attributes,
      // which the Content-Security-Policy forbids.
      renderMode: 'richText',
      confine: true,
      backgroundColor: paper,
      borderColor: ink,
      textStyle: { color: ink, fontSize: 13 }
    }
  }
}

// chartBlock makes one chart with its save button and its table, and draws it with
// build(width), which returns the ECharts option for the container's width and sets the height
// through the returned object. The chart is drawn again when the width changes.
//
// share, where given, says what a saved image is of: {title, group, wave, note}. The image is the
// chart framed with its title, the group and wave, the day it was saved and the threshold note, so
// it still says what it shows when it is passed on without the page around it.
export function chartBlock ({ name, title, description, fileName, build, tableOf, onClick, share }) {
  const container = h('div', { class: 'app-chart', dataset: { chart: name, chartReady: 'false', chartRenders: '0' } })
  const save = h('button', { type: 'button', class: 'govuk-button govuk-button--secondary app-chart__save', dataset: { saveChart: name } },
    'Save chart as image', hidden(`: ${title}`))
  const tableHolder = h('div', { class: 'app-chart__table' })
  const block = h('div', { class: 'app-chart-block' },
    h('figure', { class: 'app-chart__figure' }, container),
    h('div', { class: 'app-chart__actions' }, save),
    details(['Show the figures as a table', hidden(`: ${title}`)], tableHolder))

  let chart = null
  let renders = 0
  let lastWidth = 0
  // near is whether the chart has come within a screen of being seen. Until then a render only
  // keeps its place (the height it will have, so nothing moves when it is drawn): a page of
  // charts costs a phone its first seconds otherwise, drawing what nobody has scrolled to yet.
  let near = typeof IntersectionObserver === 'undefined'
  // waiting is whether a drawing waits for ECharts; asked for again meanwhile, the chart is
  // drawn once when it comes, at the width asked for last.
  let waiting = false
  let waitingWidth
  let failed = false
  const draw = (forWidth) => {
    if (failed) return
    const width = forWidth || container.clientWidth || container.getBoundingClientRect().width
    if (!width) return
    lastWidth = width
    const { option, height } = build(width)
    container.style.height = `${height}px`
    if (!chart && !near && !forWidth) return
    if (!echarts) {
      waitingWidth = forWidth
      if (!waiting) {
        waiting = true
        loadCharts().then(() => {
          waiting = false
          draw(waitingWidth)
        }, showFailure)
      }
      return
    }
    // ECharts' ARIA: the container becomes role="img" named by the description.
    option.aria = { enabled: true, label: { description } }
    if (!chart) {
      chart = echarts.init(container, null, { renderer: 'svg' })
      container.dataset.chartDrawn = 'true'
      chart.on('finished', () => {
        renders += 1
        container.dataset.chartRenders = String(renders)
        container.dataset.chartReady = 'true'
      })
      if (onClick) chart.on('click', onClick)
    } else {
      chart.resize({ height, animation: { duration: 0 } })
    }
    container.dataset.chartReady = 'false'
    chart.setOption(option, { notMerge: true })
  }
  const showFailure = () => {
    failed = true
    container.dataset.chartReady = 'failed'
    container.style.height = ''
    save.hidden = true
    container.replaceChildren(h('p', { class: 'govuk-body' }, 'The chart could not be loaded. Its figures are in the table below it; reload the page to try again.'))
  }
  const refreshTable = () => {
    if (tableOf) tableHolder.replaceChildren(tableOf())
  }
  // Saved before it was drawn (ECharts still on its way), the chart is drawn first.
  save.addEventListener('click', async () => {
    if (!chart) {
      try {
        await loadCharts()
      } catch {
        return // the chart's place says it could not be loaded
      }
      draw(container.clientWidth || printWidth)
    }
    saveImage(chart, fileName, save, share || { title })
  })

  const api = {
    block,
    container,
    // render draws (or draws again) the chart and its table.
    render () {
      refreshTable()
      draw()
    },
    // mount draws the chart once the block is in the page and near the screen, and again when
    // its width changes.
    // Its first drawing waits for the page's own layout (the ResizeObserver's first call), rather
    // than forcing one while the page is still being built.
    mount () {
      refreshTable()
      if (!near) {
        const seen = new IntersectionObserver((entries) => {
          if (!entries.some((e) => e.isIntersecting)) return
          seen.disconnect()
          near = true
          draw()
        }, { rootMargin: '100% 0px' })
        seen.observe(container)
      }
      new ResizeObserver(() => {
        const width = container.clientWidth
        if (width && Math.abs(width - lastWidth) >= 1) draw()
      }).observe(container)
      // Printed, the chart is drawn again for the paper's width (an SVG without a viewBox does
      // not scale), and for the screen again afterwards.
      const printing = window.matchMedia('print')
      const forPaper = () => draw(Math.min(printWidth, container.clientWidth || printWidth))
      printing.addEventListener('change', (e) => e.matches ? forPaper() : draw())
      window.addEventListener('beforeprint', forPaper)
      window.addEventListener('afterprint', () => draw())
    },
    get chart () { return chart }
  }
  return api
}

// saveImage downloads the chart as a PNG, drawn from ECharts' SVG at twice its size inside a frame
// that names it (framedSVG), with the same words in the PNG's own title and description; where a
// browser cannot draw SVG to a canvas, it downloads the framed SVG itself. Nothing here needs
// inline script or another origin: the image is a data: URL and the download a blob: URL.
async function saveImage (chart, fileName, button, share) {
  if (!chart) return
  const svgURL = chart.getDataURL({ type: 'svg', backgroundColor: paper })
  const inner = decodeURIComponent(svgURL.slice(svgURL.indexOf(',') + 1))
  const saved = today()
  const heading = shareHeading(share, saved)
  const framed = framedSVG(inner, chart.getWidth(), chart.getHeight(), heading, share.note || '')
  let blob
  let name = `${fileName}-${new Date().toISOString().slice(0, 10)}.png`
  try {
    const png = await svgToPNG(framed.svg, framed.width, framed.height)
    blob = await withPNGText(png, { Title: heading.join(' – '), Description: share.note || '' })
  } catch {
    blob = new Blob([framed.svg], { type: 'image/svg+xml' })
    name = name.replace(/\.png$/, '.svg')
  }
  const url = URL.createObjectURL(blob)
  const a = h('a', { href: url, download: name, class: 'govuk-visually-hidden', tabindex: '-1' }, name)
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60000)
  button.dataset.saved = name
  button.dataset.savedTitle = heading.join(' – ')
}

// shareHeading is what a saved image says of itself: its title, then the group and wave, then
// the day it was saved.
function shareHeading (share, saved) {
  return [share.title, [share.group, share.wave].filter(Boolean).join(', '), `Saved on ${saved}`].filter(Boolean)
}

const xml = (t) => String(t).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])

// framedSVG puts a chart's SVG under its heading and over its note, as one SVG image.
export function framedSVG (inner, width, height, heading, note) {
  const pad = 16
  const lines = []
  let y = pad
  heading.forEach((text, i) => {
    const size = i === 0 ? 18 : 14
    for (const line of wrapText(text, Math.max(20, Math.floor((width - 2 * pad) / (size * 0.55))), 3).split('\n')) {
      y += size + 6
      lines.push(`<text x="${pad}" y="${y}" font-family="Arial, sans-serif" font-size="${size}"${i === 0 ? ' font-weight="bold"' : ''} fill="${ink}">${xml(line)}</text>`)
    }
  })
  const top = y + pad
  y = top + height
  for (const line of note ? wrapText(note, Math.max(20, Math.floor((width - 2 * pad) / 6.6)), 8).split('\n') : []) {
    y += 18
    lines.push(`<text x="${pad}" y="${y}" font-family="Arial, sans-serif" font-size="12" fill="${ink}">${xml(line)}</text>`)
  }
  const total = Math.ceil(y + pad)
  const chartSVG = inner.replace(/^<\?xml[^>]*>\s*/, '').replace(/^<svg\b/, `<svg x="0" y="${top}"`)
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}">` +
    `<rect x="0" y="0" width="${width}" height="${total}" fill="${paper}"/>${lines.join('')}${chartSVG}</svg>`
  return { svg, width, height: total }
}

async function svgToPNG (svg, width, height) {
  const img = new Image()
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
  await img.decode()
  const scale = 2
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(width * scale)
  canvas.height = Math.round(height * scale)
  const ctx = canvas.getContext('2d')
  ctx.fillStyle = paper
  ctx.fillRect(0, 0, canvas.width, canvas.height)
  ctx.scale(scale, scale)
  ctx.drawImage(img, 0, 0, width, height)
  return new Promise((resolve, reject) => canvas.toBlob((b) => b ? resolve(b) : reject(new Error('no image')), 'image/png'))
}

// withPNGText writes words into a PNG as iTXt chunks (UTF-8) after its header, so the file names
// what it shows to any program that reads image titles.
async function withPNGText (blob, texts) {
  const bytes = new Uint8Array(await blob.arrayBuffer())
  const ihdrEnd = 8 + 4 + 4 + 13 + 4 // signature, IHDR length, type, data, CRC
  const enc = new TextEncoder()
  const chunks = Object.entries(texts).filter(([, v]) => v).map(([key, value]) => {
    // keyword, NUL, not compressed, method 0, no language, NUL, no translated keyword, NUL, text
    const data = new Uint8Array([...enc.encode(key), 0, 0, 0, 0, 0, ...enc.encode(value)])
    const chunk = new Uint8Array(12 + data.length)
    const view = new DataView(chunk.buffer)
    view.setUint32(0, data.length)
    chunk.set(enc.encode('iTXt'), 4)
    chunk.set(data, 8)
    view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)))
    return chunk
  })
  return new Blob([bytes.subarray(0, ihdrEnd), ...chunks, bytes.subarray(ihdrEnd)], { type: 'image/png' })
}

let crcTable = null
function crc32 (bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  let c = 0xffffffff
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

// withheldSeries draws, on a horizontal bar chart whose category axis lists rows, a hatched band
// across the plot for each withheld row, labelled with why it is withheld: the figure keeps its
// place instead of disappearing. rows: [{withheld: reason text or null}].
export function withheldSeries (rows, max, chars) {
  return {
    type: 'custom',
    name: 'Withheld',
    silent: true,
    z: 4,
    encode: { y: 0 },
    data: rows.map((r, i) => r.withheld ? [i] : null).filter(Boolean),
    renderItem: (params, api) => {
      const i = api.value(0)
      const reason = rows[i].withheld
      const left = api.coord([0, i])
      const right = api.coord([max, i])
      const band = api.size([0, 1])[1] * 0.7
      const x0 = left[0]
      const x1 = right[0]
      const y0 = left[1] - band / 2
      const y1 = left[1] + band / 2
      const children = [{ type: 'rect', shape: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, style: { fill: paper, stroke: border, lineWidth: 1 } }]
      // Diagonal hatching, clipped to the band by hand (x + y = c for each line).
      for (let c = x0 + y0 + 8; c < x1 + y1; c += 8) {
        const ax = Math.max(x0, c - y1)
        const bx = Math.min(x1, c - y0)
        if (bx > ax) children.push({ type: 'line', shape: { x1: ax, y1: c - ax, x2: bx, y2: c - bx }, style: { stroke: '#6f777b', lineWidth: 1, fill: 'none' } })
      }
      children.push({
        type: 'text',
        style: {
          text: wrapText(reason, chars, 2),
          x: (x0 + x1) / 2,
          y: left[1],
          align: 'center',
          verticalAlign: 'middle',
          fill: ink,
          font: 'bold 12px Arial, sans-serif',
          backgroundColor: paper,
          padding: [2, 4],
          lineHeight: 15
        }
      })
      return { type: 'group', children }
    }
  }
}

// wrapText breaks a label into at most maxLines lines of about width characters; what does not
// fit ends the last line with an ellipsis. A word longer than a line is cut.
export function wrapText (text, width, maxLines = 3) {
  const cut = (t) => t.length > width ? `${t.slice(0, Math.max(1, width - 1))}…` : t
  const lines = []
  let line = ''
  for (const w of String(text).split(/\s+/)) {
    if (line && (line + ' ' + w).length > width) {
      lines.push(line)
      line = w
    } else {
      line = line ? `${line} ${w}` : w
    }
  }
  if (line) lines.push(line)
  if (lines.length > maxLines) {
    const rest = lines.slice(maxLines - 1).join(' ')
    return [...lines.slice(0, maxLines - 1).map(cut), cut(rest.length > width ? rest : `${rest}…`)].join('\n')
  }
  return lines.map(cut).join('\n')
}

// escapeRich keeps a name from being read as ECharts rich-text markup ({style|text}).
export function escapeRich (text) {
  return String(text).replace(/[{}|]/g, ' ')
}
