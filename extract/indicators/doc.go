// Package indicators reads SDG indicator data as statistics offices publish
// it, UN SDG Global Database exports and Open SDG national platforms, into
// models.Observation values, rejecting bad rows with their location. Only
// ReadOpenSDGDir touches the file system; everything else reads an Input.
package indicators
