// Charts: Apache ECharts tree-shaken to what the dashboard draws, rendered as SVG (no canvas, no
// inline style attributes, nothing from another origin), with ARIA on, animation off when the
// reader prefers reduced motion, a "Save chart as image" button and a table of the figures under
// each. A chart's container carries data-chart-ready="true" once ECharts has finished drawing it.
import * as echarts from './echarts.js'
import { details, h, hidden } from './dom.js'
import { ink, paper } from './stages.js'

const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)')

// Width below which charts lay themselves out for a phone.
export const narrowWidth = 560

export const font = { fontFamily: 'Arial, sans-serif', color: ink }

// base is what every chart's option starts from.
export function base (description) {
  return {
    backgroundColor: paper,
    animation: !reducedMotion.matches,
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
export function chartBlock ({ name, title, description, fileName, build, tableOf, onClick }) {
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
  const draw = () => {
    const width = container.clientWidth || container.getBoundingClientRect().width
    if (!width) return
    lastWidth = width
    const { option, height } = build(width)
    // ECharts' ARIA: the container becomes role="img" named by the description.
    option.aria = { enabled: true, label: { description } }
    container.style.height = `${height}px`
    if (!chart) {
      chart = echarts.init(container, null, { renderer: 'svg' })
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
  const refreshTable = () => {
    if (tableOf) tableHolder.replaceChildren(tableOf())
  }
  save.addEventListener('click', () => saveImage(chart, fileName, save))

  const api = {
    block,
    container,
    // render draws (or draws again) the chart and its table.
    render () {
      refreshTable()
      draw()
    },
    // mount draws the chart once the block is in the page, and again when its width changes.
    mount () {
      api.render()
      new ResizeObserver(() => {
        const width = container.clientWidth
        if (width && Math.abs(width - lastWidth) >= 1) draw()
      }).observe(container)
    },
    get chart () { return chart }
  }
  return api
}

// saveImage downloads the chart as a PNG, drawn from ECharts' SVG at twice its size; where a
// browser cannot draw SVG to a canvas, it downloads the SVG itself. Nothing here needs inline
// script or another origin: the image is a data: URL and the download a blob: URL.
async function saveImage (chart, fileName, button) {
  if (!chart) return
  const svgURL = chart.getDataURL({ type: 'svg', backgroundColor: paper })
  let blob
  let name = `${fileName}.png`
  try {
    blob = await svgToPNG(svgURL, chart.getWidth(), chart.getHeight())
  } catch {
    // A data: URL cannot be fetched under the policy (connect-src 'self'): decode it here.
    const svg = decodeURIComponent(svgURL.slice(svgURL.indexOf(',') + 1))
    blob = new Blob([svg], { type: 'image/svg+xml' })
    name = `${fileName}.svg`
  }
  const url = URL.createObjectURL(blob)
  const a = h('a', { href: url, download: name, class: 'govuk-visually-hidden', tabindex: '-1' }, name)
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60000)
  button.dataset.saved = name
}

async function svgToPNG (svgURL, width, height) {
  const img = new Image()
  img.src = svgURL
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
