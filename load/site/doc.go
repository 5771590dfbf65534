// Package site builds the public static website of one country from the
// warehouse: HTML pages in each interface language, a search index, the
// page data as CSV and the country's download bundle. It only reads the
// warehouse; it publishes nothing that is not marked public, the pages load
// nothing from the network, and every link is relative so that the folder
// works from any static host, a USB stick or file://.
package site
