// Package uhri imports the bulk exports of OHCHR's Universal Human Rights
// Index (UHRI): the XLSX export ("uhri-xlsx") and the JSON export
// ("uhri-json"). It turns each annotation into one record per country
// concerned, keeping UHRI's themes, SDG targets and affected persons as
// source labels; it does not classify, merge or store anything.
package uhri
