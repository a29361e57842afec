// The dashboard's DOM helpers are the shared ones (shared/dom.js), kept under this name so the
// dashboard's modules import them as before.
export { h, append, hidden, uid, link, table, details, tag } from '../shared/dom.js'
