// Graph view: the indicators and observables that point at a threat actor or its software.
// @name actor-indicators
// fragment: lookup actor x ThreatActor
CALL db.index.fulltext.queryNodes('threatkg_entity_names', '"' + replace(replace($actor, '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
WITH x WHERE x:ThreatActor
  AND (toLower(x.name) = toLower($actor) OR any(known IN x.aliases WHERE toLower(known) = toLower($actor)))
// end fragment
MATCH (x)-[:SAME_AS*0..10]-(a:ThreatActor)
WITH DISTINCT a
CALL (a) {
  MATCH p = (a)-[:INDICATES|RELATED_TO]-()-[:BASED_ON*0..1]->()
  RETURN p
  UNION
  MATCH p = (a)-[:USES]->(:Malware|Tool)<-[:INDICATES]-(:Indicator)-[:BASED_ON*0..1]->()
  RETURN p
}
RETURN p
