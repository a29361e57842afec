package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
)

// The database pools' series, each by pool (write, read).
var (
	poolOpen = prometheus.NewDesc("skillsurvey_db_connections_open",
		"Connections the pool holds open, in use or idle.", []string{"pool"}, nil)
	poolInUse = prometheus.NewDesc("skillsurvey_db_connections_in_use",
		"Connections of the pool in use.", []string{"pool"}, nil)
	poolIdle = prometheus.NewDesc("skillsurvey_db_connections_idle",
		"Idle connections of the pool.", []string{"pool"}, nil)
	poolMax = prometheus.NewDesc("skillsurvey_db_connections_max",
		"The most connections the pool may open.", []string{"pool"}, nil)
	poolWaits = prometheus.NewDesc("skillsurvey_db_waits_total",
		"Times a query waited for a connection of the pool.", []string{"pool"}, nil)
	poolWaited = prometheus.NewDesc("skillsurvey_db_wait_seconds_total",
		"Time queries spent waiting for a connection of the pool.", []string{"pool"}, nil)
	poolClosed = prometheus.NewDesc("skillsurvey_db_connections_closed_total",
		"Connections the pool closed, by why: max_idle, max_idle_time or max_lifetime.", []string{"pool", "reason"}, nil)
)

// poolCollector reads the pools' statistics (sql.DBStats) at each scrape.
type poolCollector struct{ m *Metrics }

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolOpen, poolInUse, poolIdle, poolMax, poolWaits, poolWaited, poolClosed} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	c.m.mu.Lock()
	pools := c.m.pools
	c.m.mu.Unlock()
	if pools == nil {
		return
	}
	for name, s := range pools() {
		gauge := func(d *prometheus.Desc, v int) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v), name)
		}
		gauge(poolOpen, s.OpenConnections)
		gauge(poolInUse, s.InUse)
		gauge(poolIdle, s.Idle)
		gauge(poolMax, s.MaxOpenConnections)
		ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(poolWaited, prometheus.CounterValue, s.WaitDuration.Seconds(), name)
		for reason, n := range map[string]int64{"max_idle": s.MaxIdleClosed, "max_idle_time": s.MaxIdleTimeClosed, "max_lifetime": s.MaxLifetimeClosed} {
			ch <- prometheus.MustNewConstMetric(poolClosed, prometheus.CounterValue, float64(n), name, reason)
		}
	}
}
