// Reading the report API. Errors keep the API's code and message so the page can say what went wrong.

export class APIError extends Error {
  constructor (status, code, message, fields) {
    super(message)
    this.status = status
    this.code = code
    this.fields = fields || {}
  }
}

export async function getJSON (url) {
  let response
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
  } catch {
    throw new APIError(0, 'network', 'The dashboard could not reach the service. Check your connection and try again.')
  }
  if (response.status === 401) {
    // The session has ended (or never began): sign in, then come back to this very page.
    window.location.assign(signInURL())
    throw new APIError(401, 'unauthenticated', 'You need to sign in to see the figures. Taking you to the sign-in page…')
  }
  let body = null
  try {
    body = await response.json()
  } catch {}
  if (!response.ok) {
    const e = body && body.error
    throw new APIError(response.status, e && e.code, (e && e.message) || `The service answered ${response.status}.`, e && e.fields)
  }
  return body
}

const enc = encodeURIComponent

// signInURL is the sign-in page, asked to return to the page shown now.
export function signInURL () {
  return `/sign-in?return=${enc(window.location.pathname + window.location.search)}`
}

export function reportURL (wave, { level = 'all', breakdown = '', format = '' } = {}) {
  const q = new URLSearchParams({ level })
  if (breakdown) q.set('breakdown', breakdown)
  if (format) q.set('format', format)
  return `/api/v1/waves/${enc(wave)}/report?${q}`
}

export function trendURL (wave, group) {
  return `/api/v1/waves/${enc(wave)}/trend?group=${enc(group)}`
}

export function questionnaireURL (wave) {
  return `/api/v1/waves/${enc(wave)}/questionnaire`
}

// dashboardURL is the address of one of the dashboard's pages.
export function dashboardURL ({ wave, group, view, breakdown, level } = {}) {
  const q = new URLSearchParams()
  if (wave) q.set('wave', wave)
  if (view) q.set('view', view)
  if (group) q.set('group', group)
  if (breakdown) q.set('breakdown', breakdown)
  if (level) q.set('level', level)
  const s = q.toString()
  return s ? `/dashboard?${s}` : '/dashboard'
}
