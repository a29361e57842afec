// The dashboard's API calls are the shared ones (shared/api.js), kept under this name so the
// dashboard's modules import them as before.
export { APIError, getJSON, session, signInURL, reportURL, trendURL, questionnaireURL, dashboardURL } from '../shared/api.js'
