// Apache ECharts from its modular entry, with only what the dashboard draws: heatmap, bar, line
// and custom series; grid, tooltip, legend, piecewise visual map and ARIA; the label layout
// feature; and the SVG renderer (no canvas, no inline styles). A chart type or component added to
// the dashboard must be registered here, or ECharts ignores it and says so in the console.
import { use } from 'echarts/core'
import { BarChart, CustomChart, HeatmapChart, LineChart } from 'echarts/charts'
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapPiecewiseComponent } from 'echarts/components'
import { LabelLayout } from 'echarts/features'
import { SVGRenderer } from 'echarts/renderers'

use([HeatmapChart, BarChart, LineChart, CustomChart, GridComponent, TooltipComponent,
  VisualMapPiecewiseComponent, LegendComponent, AriaComponent, LabelLayout, SVGRenderer])

// Only what the dashboard calls is exported (import * as echarts from './echarts.js'), so the bundle
// keeps no more of ECharts' core than it uses.
export { init } from 'echarts/core'
