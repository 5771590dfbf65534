// Package scrape downloads what is new from the official sources (UHRI
// exports, the UPR Info database, the OHCHR treaty body database) into a
// local folder for the nightly fetch stage. It only fetches and saves files,
// politely and resumably; reading them is the importers' job.
package scrape
