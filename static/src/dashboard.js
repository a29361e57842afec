// The maturity dashboard's entry point (built to /assets/dashboard.js); the page itself is in
// dashboard/.
import { start } from './dashboard/app.js'

start()
