// Builds the web pages into dist/, which the Go binary embeds (static/embed.go).
// Third-party code comes from node_modules and is never committed; dist/ is git-ignored.
import * as esbuild from 'esbuild'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, existsSync } from 'node:fs'
import { basename, extname, join, relative } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const dist = 'dist'
const govuk = 'node_modules/govuk-frontend/dist/govuk'

// Start clean, but keep the committed placeholder that lets go:embed compile on a fresh clone.
for (const name of readdirSync(dist)) {
  if (name !== '.gitkeep') rmSync(join(dist, name), { recursive: true, force: true })
}
mkdirSync(join(dist, 'assets'), { recursive: true })

// Every asset gets a name that carries a hash of its content (dashboard-3FQ2K7ZP.js), so the service
// can tell browsers to keep it for a year: a changed file is a new name. manifest maps each plain
// name (assets/dashboard.js) to its hashed one; the pages are rewritten to the hashed names here,
// and the service's own templates read dist/manifest.json.
const manifest = {}
function hashed (name, content) {
  const hash = createHash('sha256').update(content).digest('base64url').replace(/[-_]/g, '').slice(0, 8).toUpperCase()
  const ext = extname(name)
  return `${basename(name, ext)}-${hash}${ext}`
}
function writeAsset (name, content) {
  const out = hashed(name, content)
  writeFileSync(join(dist, 'assets', out), content)
  manifest[`assets/${name}`] = `assets/${out}`
}

// GOV.UK Frontend's stylesheet, without the GDS Transport font (only for services on GOV.UK: text
// falls back to Arial, as the design system intends).
let css = readFileSync(join(govuk, 'govuk-frontend.min.css'), 'utf8')
css = css.replace(/@font-face\{[^}]*\}/g, '')
writeAsset('govuk-frontend.min.css', css)
for (const image of ['favicon.ico', 'favicon.svg']) {
  const from = join(govuk, 'assets', 'images', image)
  if (existsSync(from)) writeAsset(image, readFileSync(from))
}
// Our own stylesheets beside the pages (src/dashboard.css, linked as /dashboard.css).
for (const name of readdirSync('src').filter((f) => f.endsWith('.css'))) {
  writeAsset(name, readFileSync(join('src', name)))
  manifest[name] = manifest[`assets/${name}`]
}

// Our scripts, bundled with what they import (ECharts tree-shaken to the charts we draw), named
// by their content; a stylesheet a script imports comes out beside it (survey.js → survey.css).
// The dashboard is built on its own with splitting, so ECharts (imported by dashboard/chart.js
// when the page starts) comes as a chunk of its own beside the figures instead of before them;
// the other pages share no chunk, so each loads as one file.
const scripts = readdirSync('src').filter((f) => f.endsWith('.js')).map((f) => join('src', f))
const bundle = (entryPoints, splitting) => esbuild.build({
  entryPoints,
  splitting,
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: false,
  target: ['es2020'],
  outdir: join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning'
})
const dashboardEntry = join('src', 'dashboard.js')
const preloads = {}
for (const result of [
  await bundle(scripts.filter((f) => f !== dashboardEntry), false),
  await bundle([dashboardEntry], true)
]) {
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint) continue
    const name = basename(meta.entryPoint, '.js')
    manifest[`assets/${name}.js`] = relative(dist, out)
    if (meta.cssBundle) manifest[`assets/${name}.css`] = relative(dist, meta.cssBundle)
    // The chunks an entry imports before it can run: the page asks for them beside the entry
    // (modulepreload), not after it has arrived.
    const chunks = meta.imports.filter((i) => i.kind === 'import-statement').map((i) => relative(dist, i.path))
    if (chunks.length) preloads[relative(dist, out)] = chunks
  }
}
writeFileSync(join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')

// The pages, with every reference to an asset's plain name ("/assets/dashboard.js") turned into its
// hashed name. A reference to an asset that does not exist stops the build.
for (const name of readdirSync('src').filter((f) => f.endsWith('.html'))) {
  const page = readFileSync(join('src', name), 'utf8').replace(/(href|src)="\/([^"]+\.(?:css|js|ico|svg))"/g, (all, attr, path) => {
    if (!manifest[path]) throw new Error(`src/${name}: ${path} is not an asset the build makes`)
    return `${attr}="/${manifest[path]}"`
  }).replace(/^([ \t]*)(<script type="module" src="\/([^"]+)"><\/script>)/gm, (all, indent, script, path) =>
    (preloads[path] || []).map((c) => `${indent}<link rel="modulepreload" href="/${c}">\n`).join('') + indent + script)
  // A script named otherwise (another attribute, another order) would miss its preloads unseen.
  for (const [entry, chunks] of Object.entries(preloads)) {
    if (page.includes(`/${entry}"`) && chunks.some((c) => !page.includes(`<link rel="modulepreload" href="/${c}">`))) {
      throw new Error(`src/${name}: the script ${entry} is not written as <script type="module" src="..."></script> on a line of its own, so its chunks are not preloaded`)
    }
  }
  writeFileSync(join(dist, name), page)
}

// Compressed copies beside every text file, made once here at the highest settings, so the service
// never compresses a static file per request (it serves name.br or name.gz to a browser that
// accepts them). Pages are left out: the service fills in their header and footer at start, and
// compresses the result itself.
for (const name of readdirSync(join(dist, 'assets'))) {
  if (!/\.(js|css|svg)$/.test(name)) continue
  const path = join(dist, 'assets', name)
  const content = readFileSync(path)
  if (content.length < 1024) continue
  writeFileSync(path + '.br', brotliCompressSync(content, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length }
  }))
  writeFileSync(path + '.gz', gzipSync(content, { level: 9 }))
}
console.log('built static/dist')
