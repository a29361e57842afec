// Builds the web pages into dist/, which the Go binary embeds (static/embed.go).
// Third-party code comes from node_modules and is never committed; dist/ is git-ignored.
import * as esbuild from 'esbuild'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const dist = 'dist'
const govuk = 'node_modules/govuk-frontend/dist/govuk'

// Start clean, but keep the committed placeholder that lets go:embed compile on a fresh clone.
for (const name of readdirSync(dist)) {
  if (name !== '.gitkeep') rmSync(join(dist, name), { recursive: true, force: true })
}
mkdirSync(join(dist, 'assets'), { recursive: true })

// Pages and our own styles, as written.
for (const name of readdirSync('src')) {
  if (name.endsWith('.html') || name.endsWith('.css')) cpSync(join('src', name), join(dist, name))
}

// GOV.UK Frontend's stylesheet, without the GDS Transport font (only for services on GOV.UK: text
// falls back to Arial, as the design system intends) and with its asset paths under /assets/.
let css = readFileSync(join(govuk, 'govuk-frontend.min.css'), 'utf8')
css = css.replace(/@font-face\{[^}]*\}/g, '')
writeFileSync(join(dist, 'assets', 'govuk-frontend.min.css'), css)
for (const image of ['favicon.ico', 'favicon.svg']) {
  const from = join(govuk, 'assets', 'images', image)
  if (existsSync(from)) cpSync(from, join(dist, 'assets', image))
}

// Our scripts, bundled with what they import (ECharts tree-shaken to the charts we draw).
await esbuild.build({
  entryPoints: readdirSync('src').filter((f) => f.endsWith('.js')).map((f) => join('src', f)),
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: false,
  target: ['es2020'],
  outdir: join(dist, 'assets'),
  logLevel: 'warning'
})
console.log('built static/dist')
