// Package scrape downloads what is new from the official sources (UHRI
// exports, the UPR Info database, the OHCHR treaty body database) into a
// local folder for the nightly fetch stage. It only fetches and saves files,
// politely and resumably; reading them is the importers' job.
//
// The local test servers (testdata/PROVENANCE.md) are built from stored
// public evidence: the Uwazi source, other people's working scrapers and
// response dumps. What the fetchers assume, and on what evidence, is listed
// below; an assumption without stored evidence says so. `nmirf fetch
// --dry-run` prints the requests a run starts with, to try once by hand.
//
// # All sources
//
//   - robots.txt is read at the start of each fetcher; when it forbids the
//     first URL the fetcher needs, the run stops there and names the
//     robots.txt URL, the rule, its line and the User-agent group. Rules are
//     matched case-sensitively (RFC 9309), as colly does for every later
//     request. SharePoint's default robots.txt writes "Disallow: /_Layouts/",
//     which does not forbid "/_layouts/15/…"; the live tbinternet
//     robots.txt is not stored anywhere we could read (assumption).
//   - Response sizes are capped by kind (Options.MaxPageBytes 64 MiB,
//     MaxDocBytes 256 MiB, MaxExportBytes 2 GiB; [fetch] max_*_mb). A larger
//     response is an error naming the limit, never a truncated file.
//   - File names come from symbols or URL segments through safeName: no
//     path separator, never "." or "..", no leading dot, at most 150 bytes.
//
// # UPR Info database (Uwazi, upr-info-database.uwazi.io)
//
//   - The language travels in Accept-Language, never as a query key:
//     Uwazi's search parameter schema has no "language" and is closed
//     (huridocs/uwazi app/shared/types/searchParameterSchema.ts, query
//     additionalProperties false); the language comes from Content-Language,
//     the locale cookie or Accept-Language (app/api/utils/languageMiddleware.ts);
//     a working client says "Uwazi rejects ?language= on /api/search; use
//     Accept-Language instead" (lszoszk/uwazi-statistics uwazi_charts/fetch.py).
//   - Arrays and objects in the query (types, filters) are sent as JSON, as
//     Uwazi's own client does (app/shared/JSONRequest.js toUrlParams) and
//     app/api/utils/parseQueryMiddleware.ts parses back. "types[]=" also
//     works live (uwazi-statistics tests/test_aggregations.py regenerates its
//     fixture with it).
//   - The recommendations template is 5d8ce04361cde0408222e9a8 and its
//     properties recommendation, state_under_review, recommending_state,
//     response, issues, session, action_category (docs/SCRAPING-NOTES.md §3,
//     uwazi-statistics, legal-sources); a run checks them on /api/templates
//     and stops with the property list when one is gone.
//   - totalRows stops at Elasticsearch's window (10,000, relation "gte")
//     and from+limit may not pass it (uwazi-statistics fetch.py comment and
//     its canned payload totalRows 10000 / "gte"). Past it the run splits by
//     State under review.
//   - The States are the entities of the template state_under_review points
//     to, paged through /api/search, joined with the buckets of
//     aggregations.all.state_under_review of the search itself (shape:
//     key, doc_count, filtered.doc_count, label; uwazi-statistics
//     tests/test_aggregations.py). /api/thesauris is not used: a template
//     seen as a thesaurus lists at most preloadOptionsLimit (200) entities
//     (app/api/thesauri/thesauri.js templateToThesauri), and an aggregation
//     also keeps at most that many buckets (uwazi's search tests, "should
//     limit the number of buckets"), so neither alone reaches past
//     200 States. That the search returns an aggregation for
//     state_under_review (a filterable property) is an assumption; the
//     entity paging does not need it. Recommendations with no State (bucket
//     "missing") cannot be reached by a per-State pass: a warning says how
//     many.
//   - Offset paging without a sort has no fixed order, so pages may repeat
//     or skip rows. Every page is sorted by creationDate ascending (a sort
//     key Uwazi's library uses: sort:creationDate in the URL state of
//     uwazi-statistics tests) and rows are kept once by sharedId. When a
//     State keeps fewer rows than its totalRows, the run summary carries a
//     warning with both numbers.
//
// # Treaty body database (tbinternet.ohchr.org)
//
//   - Searches are plain query URLs, one per treaty and country:
//     TBSearch.aspx?Lang=en&TreatyID=…&DocTypeID=…[&CountryID=…]
//     (worldwidelaw/legal-sources sources/UN/TreatyBodyDB/bootstrap.py,
//     lszoszk/generalcomments _docs_internal/cescr/extract_cescr.py). No
//     control ids of the search form are needed.
//   - TreatyIDs 1-9 are CAT, CED, CEDAW, CRPD, CRC, CERD, CMW, CCPR, CESCR
//     (legal-sources TreatyBodyDB TREATY_BODIES). Optional protocols have no
//     TreatyID there; an unknown acronym is an error listing the nine.
//   - The document type is matched by its exact name in the RadListBox
//     ctl00_ContentPlaceHolder1_rlbDocTypeCategory (legal-sources
//     INTL/OHCHR-Jurisprudence bootstrap.py: "Jurisprudence" is index 5, its
//     state a _ClientState JSON with checkedIndices). Its DocTypeID is read
//     from the "itemData" values of the list box's $create script: Telerik's
//     usual rendering, but no stored page shows it (assumption). Known ids:
//     11 General Comments (legal-sources), 17 Jurisprudence (extract_cescr.py);
//     the id of Concluding Observations is not in stored evidence, so a page
//     without itemData stops the run asking for [fetch.treaty_bodies]
//     doc_type_id.
//   - A CountryID is the <option value> of Treaty.aspx?Lang=en whose text
//     names the country, else a CountryID= link of
//     Countries.aspx?CountryCode=ISO3&Lang=en (docs/SCRAPING-NOTES.md:
//     quantumnomadcoder/probasile; Indonesia is 80). Neither page is stored
//     (assumption on their markup: options and links).
//   - Result rows are tr.rgRow / tr.rgAltRow of the RadGrid
//     [id$=radResultsGrid]: title, type, treaty, country, symbol, date, file,
//     language (legal-sources OHCHR-Jurisprudence _parse_rows). A row's
//     symbol is the symbolno= of its Download.aspx link anywhere in the row,
//     never the link text ("View document"); the symbol cell may list a
//     bundle of symbols under one link (generalcomments METHODOLOGY.md and
//     case_list.json), saved once under the first symbol and recorded for
//     each.
//   - Paging posts the form back with __EVENTTARGET the grid and
//     __EVENTARGUMENT "FireCommand:<grid>$ctl00;Page;Next" and stops when a
//     page brings nothing new or the pager does not move (extract_cescr.py;
//     METHODOLOGY.md). legal-sources pages by the numeric page links
//     instead; that route is not used.
//   - Download.aspx?symbolno=… lists files either as DownloadDraft.aspx?key=
//     rows with language and format cells (legal-sources
//     OHCHR-Jurisprudence, sample/record_*.json) or as docstore links titled
//     "English html" (legal-sources TreatyBodyDB). A page saying "Sorry there
//     is no files available" (100 of 247 CESCR symbols, generalcomments
//     METHODOLOGY.md) is a warning; the symbols are recorded in the state
//     file with the day first seen and asked again on the next run.
//   - Documents are saved as served; the format comes from the first bytes
//     (docx, pdf, doc, UTF-16 html with a byte-order mark, legal-sources
//     TreatyBodyDB).
//
// # UHRI exports
//
//   - The exports are dataex.ohchr.org/uhri/export-results/export-full-en.json
//     and .xlsx; the same files are under
//     uhri.ohchr.org/api/uhri/export-results/. Either may be configured; two
//     URLs ending in the same name are saved apart (the second prefixed by
//     its host).
//   - The JSON export is one top-level array (a public loader script prints
//     "<class 'list'> 250021" and a record). Anything else is refused.
//     Values have the shapes that record shows: Body "- CRC", AnnotationType
//     "- Concerns/Observations", PublicationDate "2025-02-12T00:00:00" with
//     no zone, PublicationDateOnUhri, UprSession and UprRecommendingRegions
//     as lists.
//   - Nothing shows that the server sends ETag or Last-Modified. When it
//     does, they make the next request conditional; in any case an export
//     whose size and SHA-256 are those of the last run is Unchanged and not
//     rewritten, so nothing downstream re-imports it.
package scrape
