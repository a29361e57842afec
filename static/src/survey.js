// The survey form's entry point (built to /assets/survey.js); the page itself is in survey/.
import 'accessible-autocomplete/dist/accessible-autocomplete.min.css'
import './survey/survey.css'
import { start } from './survey/app.js'

start()
