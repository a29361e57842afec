// Shared set-up of every page: GOV.UK Frontend's components. Done here, not in an inline script,
// so the Content-Security-Policy can forbid inline script.
import { initAll } from 'govuk-frontend'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
