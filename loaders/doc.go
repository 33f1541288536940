// Package loaders turns sources (annotated articles, STIX 2.1 bundles) into
// rows of the declared graph model. It validates input and reports problems
// with their file, line and column; it never imports the Neo4j driver: the
// graph package writes what the loaders produce.
package loaders
