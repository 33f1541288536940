package extract

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/threatkg/threatkg/graph/model"
)

const articles = "../../testdata/articles"

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"full stops", "One sentence. Another one.", []string{"One sentence.", "Another one."}},
		{"abbreviations and initials", "The U.S. Attorney spoke. Michael R. Pompeo said so. In Washington, D.C., it rained.",
			[]string{"The U.S. Attorney spoke.", "Michael R. Pompeo said so.", "In Washington, D.C., it rained."}},
		{"a quote ends a sentence", "“It is over.” He left.", []string{"“It is over.”", "He left."}},
		{"lines are paragraphs", "Title\n\nBody one. Body two.", []string{"Title", "Body one.", "Body two."}},
		{"lower case does not start a sentence", "Sept. 14, 2020, was a Monday.", []string{"Sept. 14, 2020, was a Monday."}},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range splitSentences(tt.text) {
			got = append(got, tt.text[s.start:s.end])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSplitSentencesBoundsLength: text without punctuation is cut into
// sentences of at most maxSentence bytes, on rune boundaries.
func TestSplitSentencesBoundsLength(t *testing.T) {
	text := strings.Repeat("é", 5000)
	for _, s := range splitSentences(text) {
		if s.end-s.start > maxSentence {
			t.Fatalf("sentence of %d bytes", s.end-s.start)
		}
		if !strings.HasPrefix(text[s.start:], "é") {
			t.Fatalf("sentence starts inside a rune at %d", s.start)
		}
	}
}

func entityStrings(d Draft) []string {
	var out []string
	for _, e := range d.Entities {
		out = append(out, e.Type+":"+e.Name)
	}
	return out
}

func relationStrings(d Draft) []string {
	names := map[string]string{}
	for _, e := range d.Entities {
		names[e.ID] = e.Name
	}
	var out []string
	for _, r := range d.Relations {
		out = append(out, r.Type+":"+names[r.From]+"->"+names[r.To])
	}
	return out
}

// TestRules: each rule on a sentence of its own, with what it must find and
// what it must not. The texts are invented; no name is in a gazetteer
// unless the rule is the gazetteer's.
func TestRules(t *testing.T) {
	tests := []struct {
		name         string
		text         string
		entities     []string
		relations    []string
		notEntities  []string
		notRelations []string
	}{
		{
			name:        "threat labels in quotes make one actor with aliases",
			text:        "Researchers track the group under the threat labels “Granite Owl,” “TA9999” and “Slate Heron.”",
			entities:    []string{"ThreatActor:Granite Owl"},
			notEntities: []string{"ThreatActor:Slate Heron", "ThreatActor:TA9999"},
		},
		{
			name:     "hacking group with its acronym",
			text:     "Both men worked with the hacking group “Advanced Persistent Threat 77” (APT77) for years.",
			entities: []string{"ThreatActor:APT77"},
		},
		{
			name:     "ATT&CK names from the shipped gazetteer",
			text:     "The report ties the intrusions to Lazarus Group and to menuPass.",
			entities: []string{"ThreatActor:Lazarus Group", "ThreatActor:menuPass"},
		},
		{
			name:        "an ordinary word that is also an actor's name is not an actor",
			text:        "Silence followed the announcement.",
			notEntities: []string{"ThreatActor:Silence"},
		},
		{
			name:      "title then name; short form; works for the organisation before the title",
			text:      "Ministry of Trade Secretary Elena Vorn spoke on Monday. Vorn said the talks failed.",
			entities:  []string{"Person:Elena Vorn", "Organization:Ministry of Trade"},
			relations: []string{"WORKS_FOR:Elena Vorn->Ministry of Trade"},
		},
		{
			name:      "name, role at organisation",
			text:      "“It is serious,” said Paul Ostry, a senior fellow at the Halden Institute.",
			entities:  []string{"Person:Paul Ostry", "Organization:Halden Institute"},
			relations: []string{"WORKS_FOR:Paul Ostry->Halden Institute"},
		},
		{
			name:      "a role names its organisation",
			text:      "Deputy Attorney General Mara Quill announced the case.",
			entities:  []string{"Person:Mara Quill", "Organization:U.S. Department of Justice"},
			relations: []string{"WORKS_FOR:Mara Quill->U.S. Department of Justice", "PART_OF:U.S. Department of Justice->United States"},
		},
		{
			name:      "an indictment names its defendants, with their ages",
			text:      "The indictment charged Lev Arno, 34, and Ida Rusk, 29, with wire fraud.",
			entities:  []string{"Person:Lev Arno", "Person:Ida Rusk", "LegalAction:Indictment against Lev Arno and Ida Rusk"},
			relations: []string{"CHARGED_IN:Lev Arno->Indictment against Lev Arno and Ida Rusk", "CHARGED_IN:Ida Rusk->Indictment against Lev Arno and Ida Rusk"},
		},
		{
			name:      "charges against, announced by",
			text:      "Deputy Attorney General Mara Quill announced charges against Lev Arno and Ida Rusk.",
			entities:  []string{"LegalAction:Charges against Lev Arno and Ida Rusk"},
			relations: []string{"ANNOUNCED:Mara Quill->Charges against Lev Arno and Ida Rusk"},
		},
		{
			name:      "expected sanctions against a state",
			text:      "Sanctions are also expected to be announced against Iran.",
			entities:  []string{"LegalAction:Expected sanctions against Iran", "Government:Iran"},
			relations: []string{"CHARGED_IN:Iran->Expected sanctions against Iran"},
		},
		{
			name:        "places are countries, actors are governments",
			text:        "The group hacked companies in Brazil, Chile and Peru. The Government of Chile condemned Russia.",
			entities:    []string{"Country:Brazil", "Country:Chile", "Country:Peru", "Government:Chile", "Government:Russia"},
			notEntities: []string{"Government:Brazil"},
		},
		{
			name:     "a demonym alone names where they are from; with a government word it names the government",
			text:     "Chinese hackers stole data. Chinese authorities denied it, and Chinese officials said nothing.",
			entities: []string{"Government:China", "Country:China"},
		},
		{
			name:      "a state the text introduces, and its demonym",
			text:      "Three nationals of the Republic of Velmora were charged. The Velmoran government denied it.",
			entities:  []string{"Country:Velmora", "Government:Velmora"},
			relations: []string{"GOVERNS:Velmora->Velmora"},
		},
		{
			name:        "a capital is a government only when it acts",
			text:        "Moscow denied the report, and the Kremlin said nothing. Athletes met at the Tokyo Olympics.",
			entities:    []string{"Government:Russia"},
			notEntities: []string{"Government:Japan", "Country:Japan"},
		},
		{
			name:      "sectors by their head noun and in lists",
			text:      "APT77 targeted the banking and insurance industries, and industries like aerospace, mining, and retail.",
			entities:  []string{"Sector:Banking", "Sector:Insurance", "Sector:Aerospace", "Sector:Mining", "Sector:Retail"},
			relations: []string{"TARGETED:APT77->Banking", "TARGETED:APT77->Retail"},
		},
		{
			name:      "members of a group; the group acts on behalf of an agency of a government",
			text:      "Lev Arno and Ida Rusk were members of APT77. APT77 acted on behalf of the Velmoran Security Directorate, a service of the Government of Velmora.",
			relations: []string{"AFFILIATED_WITH:Lev Arno->APT77", "AFFILIATED_WITH:Ida Rusk->APT77", "ATTRIBUTED_TO:APT77->Velmoran Security Directorate", "ATTRIBUTED_TO:APT77->Velmora", "PART_OF:Velmoran Security Directorate->Velmora"},
		},
		{
			name:      "a state-sponsored actor",
			text:      "Iran's state-sponsored APT77 hacked the network.",
			relations: []string{"ATTRIBUTED_TO:APT77->Iran"},
		},
		{
			name:         "connections are not attribution",
			text:         "One defendant boasted of connections to the Ministry of State Security, and APT77 believed its association with China protected it.",
			notRelations: []string{"ATTRIBUTED_TO:APT77->Ministry of State Security", "ATTRIBUTED_TO:APT77->China"},
		},
		{
			name:      "an agreement between two states, violated",
			text:      "The APT77 hack violates the 2019 Harbor Accord made between the U.S. and Iran.",
			entities:  []string{"Agreement:2019 Harbor Accord"},
			relations: []string{"VIOLATED:APT77->2019 Harbor Accord", "PARTY_TO:United States->2019 Harbor Accord", "PARTY_TO:Iran->2019 Harbor Accord"},
		},
		{
			name:      "governments expected to condemn; the accused is the actor's sponsor",
			text:      "Iran's state-sponsored APT77 hacked the network. Leaders from Canada and Japan are expected to speak out.",
			relations: []string{"CONDEMNED:Canada->Iran", "CONDEMNED:Japan->Iran"},
		},
		{
			name:      "a speaker condemns in a quote",
			text:      "Iran's state-sponsored APT77 hacked the network.\n\n“This behavior is shameful,” said Secretary Mara Quill.",
			relations: []string{"CONDEMNED:Mara Quill->Iran"},
		},
		{
			name:         "concern is not condemnation",
			text:         "Iran's state-sponsored APT77 hacked the network.\n\n“This shows the degree of concern,” said Paul Ostry, a fellow at the Halden Institute.",
			notRelations: []string{"CONDEMNED:Paul Ostry->Iran"},
		},
		{
			name:      "a front company in a country; the defendants work through it",
			text:      "The indictment charged Lev Arno, 34, and Ida Rusk, 29. The defendants worked through Osk Trading Company, a front company registered in Peru.",
			relations: []string{"AFFILIATED_WITH:Lev Arno->Osk Trading Company", "LOCATED_IN:Osk Trading Company->Peru"},
		},
		{
			name:      "an organisation's parts",
			text:      "The department thanks Microsoft, including Microsoft’s Threat Intelligence Center (MSTIC), and the National Security Division of the Department of Justice.",
			relations: []string{"PART_OF:Threat Intelligence Center->Microsoft", "PART_OF:National Security Division->U.S. Department of Justice"},
		},
		{
			name:      "an actor named without quotes",
			text:      "The group, known as DuskRav3n, hacked water utilities in Ohio.",
			entities:  []string{"ThreatActor:DuskRav3n", "Sector:Water"},
			relations: []string{"TARGETED:DuskRav3n->Water"},
		},
		{
			name:        "a front company named after the noun, with its other names",
			text:        "The indictment charged Lev Arno, 34, with fraud. Arno worked for a front company, Osk Trading Venture (a/k/a Osk Holdings or “OTV”). The Treasury Department sanctioned Lev Arno and Osk Trading Venture.",
			entities:    []string{"Organization:Osk Trading Venture", "LegalAction:Sanctions against Lev Arno and Osk Trading Venture"},
			relations:   []string{"AFFILIATED_WITH:Lev Arno->Osk Trading Venture", "CHARGED_IN:Osk Trading Venture->Sanctions against Lev Arno and Osk Trading Venture", "BROUGHT_BY:Sanctions against Lev Arno and Osk Trading Venture->U.S. Department of the Treasury"},
			notEntities: []string{"Organization:Osk Holdings"},
		},
		{
			name:         "a judgement condemns the state it names; a victim is not the accused",
			text:         "The EU condemns the campaign conducted by the Russia-controlled APT77 against Germany.\n\n“Russia's behaviour is irresponsible,” said Secretary Mara Quill.",
			relations:    []string{"CONDEMNED:European Union->Russia", "CONDEMNED:Mara Quill->Russia", "ATTRIBUTED_TO:APT77->Russia"},
			notRelations: []string{"CONDEMNED:European Union->Germany"},
		},
		{
			name:      "one title for two names",
			text:      "The case is being prosecuted by Assistant U.S. Attorneys Ann Bell and Tom Reyes of the Central District of California.",
			entities:  []string{"Person:Ann Bell", "Person:Tom Reyes"},
			relations: []string{"WORKS_FOR:Tom Reyes->U.S. Attorney's Office for the Central District of California"},
		},
		{
			name:     "a gang and its leader, sanctioned and indicted by name",
			text:     "Britain sanctioned Ivo Marek, a Czech national who is the leader of the NightFall ransomware gang. The Justice Department unsealed an indictment charging Marek with extortion.",
			entities: []string{"ThreatActor:NightFall", "Person:Ivo Marek", "Country:Czech Republic", "LegalAction:Sanctions against Ivo Marek", "LegalAction:Indictment against Ivo Marek"},
			relations: []string{"AFFILIATED_WITH:Ivo Marek->NightFall", "LOCATED_IN:Ivo Marek->Czech Republic", "BROUGHT_BY:Sanctions against Ivo Marek->United Kingdom",
				"CHARGED_IN:Ivo Marek->Indictment against Ivo Marek", "BROUGHT_BY:Indictment against Ivo Marek->U.S. Department of Justice"},
		},
		{
			name:      "a role at a state's agency",
			text:      "“We act,” said Ann Bell, director general of Britain's National Crime Agency.",
			relations: []string{"WORKS_FOR:Ann Bell->National Crime Agency", "PART_OF:National Crime Agency->United Kingdom"},
		},
		{
			name:     "an unnamed victim",
			text:     "Victims of the hack included a regional bank.",
			entities: []string{"Organization:Regional bank"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Extract(tt.text, Options{})
			ents, rels := entityStrings(d), relationStrings(d)
			for _, w := range tt.entities {
				if !slices.Contains(ents, w) {
					t.Errorf("missing entity %s; got %q", w, ents)
				}
			}
			for _, w := range tt.notEntities {
				if slices.Contains(ents, w) {
					t.Errorf("unwanted entity %s", w)
				}
			}
			for _, w := range tt.relations {
				if !slices.Contains(rels, w) {
					t.Errorf("missing relation %s; got %q", w, rels)
				}
			}
			for _, w := range tt.notRelations {
				if slices.Contains(rels, w) {
					t.Errorf("unwanted relation %s", w)
				}
			}
			checkDraft(t, tt.text, d)
		})
	}
}

// checkDraft checks what every draft must satisfy: quotes are substrings of
// the text, labels and relationship types are the model's, endpoints are
// allowed and ids are unique.
func checkDraft(t *testing.T, text string, d Draft) {
	t.Helper()
	labels := map[string]string{}
	for _, e := range d.Entities {
		if _, ok := model.Declared.Node(e.Type); !ok {
			t.Errorf("entity %s: type %q is not a label of the model", e.ID, e.Type)
		}
		if _, dup := labels[e.ID]; dup {
			t.Errorf("duplicate id %s", e.ID)
		}
		labels[e.ID] = e.Type
		if e.Evidence == "" || !strings.Contains(text, e.Evidence) {
			t.Errorf("entity %s: evidence %q is not in the text", e.ID, e.Evidence)
		}
		if e.Confidence <= 0 || e.Confidence > 1 || e.Rule == "" {
			t.Errorf("entity %s: confidence %v, rule %q", e.ID, e.Confidence, e.Rule)
		}
	}
	for _, r := range d.Relations {
		rt, ok := model.Declared.Rel(r.Type)
		if !ok {
			t.Errorf("relation type %q is not the model's", r.Type)
			continue
		}
		if !rt.Allows(labels[r.From], labels[r.To]) {
			t.Errorf("relation %s from %s (%s) to %s (%s) is not allowed", r.Type, r.From, labels[r.From], r.To, labels[r.To])
		}
		if r.Evidence == "" || !strings.Contains(text, r.Evidence) {
			t.Errorf("relation %s %s->%s: evidence %q is not in the text", r.Type, r.From, r.To, r.Evidence)
		}
	}
}

func TestRulesUseTheDeclaredModel(t *testing.T) {
	for _, l := range []string{labelActor, labelPerson, labelOrg, labelGovernment, labelCountry, labelSector, labelCampaign, labelAgreement, labelLegalAction} {
		if _, ok := model.Declared.Node(l); !ok {
			t.Errorf("label %q is not declared", l)
		}
	}
	for _, r := range []string{relAffiliated, relAttributed, relConducted, relTargeted, relCharged, relBroughtBy, relCondemned, relViolated,
		relPartyTo, relWorksFor, relPartOf, relLocatedIn, relGoverns, relAnnounced, relReported, relDiscovered} {
		if _, ok := model.Declared.Rel(r); !ok {
			t.Errorf("relationship type %q is not declared", r)
		}
	}
}

func curated(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(articles, "*"))
	if err != nil || len(dirs) < 3 {
		t.Fatalf("curated articles: %v (%d)", err, len(dirs))
	}
	return dirs
}

func TestEvaluate(t *testing.T) {
	m := model.Declared
	actor, _ := m.Node("ThreatActor")
	person, _ := m.Node("Person")
	apt := model.EntityUID(actor, "APT77")
	lev := model.EntityUID(person, "Lev Arno")
	ida := model.EntityUID(person, "Ida Rusk")
	gold := model.Document{
		Entities: []model.Entity{
			{UID: apt, Label: "ThreatActor", Name: "APT77", Aliases: []string{"Granite Owl"}},
			{UID: lev, Label: "Person", Name: "Lev Arno"},
			{UID: ida, Label: "Person", Name: "Ida Rusk"},
		},
		Claims: []model.Claim{
			{Type: "AFFILIATED_WITH", From: lev, To: apt},
			{Type: "AFFILIATED_WITH", From: ida, To: apt},
		},
	}
	d := Draft{
		Entities: []Entity{
			{ID: "a", Type: "ThreatActor", Name: "Granite Owl"}, // matched by alias
			{ID: "l", Type: "Person", Name: "lev arno"},         // by normalised name
			{ID: "x", Type: "Person", Name: "Nobody Here"},      // a false positive
			{ID: "a2", Type: "ThreatActor", Name: "APT77"},      // a second entity for APT77
		},
		Relations: []Relation{
			{Type: "AFFILIATED_WITH", From: "l", To: "a"},  // matched
			{Type: "AFFILIATED_WITH", From: "l", To: "a2"}, // the same claim again: a false positive
			{Type: "AFFILIATED_WITH", From: "x", To: "a"},  // wrong endpoint
		},
	}
	for i := range d.Entities {
		d.Entities[i].Rule = "names"
	}
	d.Relations[0].Rule, d.Relations[1].Rule, d.Relations[2].Rule = "verbs", "verbs", "lists"
	ev := Evaluate(d, gold)
	wantRules := []RuleScore{
		{Rule: "names", Kind: "entity", Extracted: 4, Matched: 2, Precision: 0.5},
		{Rule: "lists", Kind: "relation", Extracted: 1, Matched: 0, Precision: 0},
		{Rule: "verbs", Kind: "relation", Extracted: 2, Matched: 1, Precision: 0.5},
	}
	if !slices.Equal(ev.Rules, wantRules) {
		t.Errorf("rules %+v, want %+v", ev.Rules, wantRules)
	}
	if ev.Entities.Matched != 2 || ev.Entities.Extracted != 4 || ev.Entities.Gold != 3 {
		t.Errorf("entities %+v", ev.Entities)
	}
	if got, want := ev.Entities.Precision, 0.5; got != want {
		t.Errorf("entity precision %v, want %v", got, want)
	}
	if ev.Relations.Matched != 1 || ev.Relations.Extracted != 3 || ev.Relations.Gold != 2 {
		t.Errorf("relations %+v", ev.Relations)
	}
	if len(ev.EntityMisses) != 1 || !strings.Contains(ev.EntityMisses[0], "Ida Rusk") {
		t.Errorf("entity misses %q", ev.EntityMisses)
	}
	if len(ev.EntityFalsePositives) != 2 {
		t.Errorf("entity false positives %q", ev.EntityFalsePositives)
	}
	if len(ev.RelationMisses) != 1 || len(ev.RelationFalsePositive) != 2 {
		t.Errorf("relation misses %q, false positives %q", ev.RelationMisses, ev.RelationFalsePositive)
	}
}

// TestAwkwardInputs: empty, blank, binary-looking, entity-free, huge and
// pathological texts give a draft (maybe empty), never a panic.
func TestAwkwardInputs(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int // entities: 0 none, 1 some, -1 either
	}{
		{"empty", "", 0},
		{"blank", " \n\n\t\n", 0},
		{"no entity", strings.Repeat("the quick brown fox jumps over the lazy dog. ", 200), 0},
		{"control characters", strings.Repeat("\x01\x02\x7f\ufffd", 1000), 0},
		{"one line of capitalised words", strings.Repeat("Alpha Beta Gamma Department ", 40000), 1},
		{"quotes that never close", strings.Repeat("“Aaa Bbb said ", 20000), -1},
		{"10 MB of press releases", corpus(t, 10<<20), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Extract(tt.text, Options{})
			if tt.want == 0 && (len(d.Entities) != 0 || len(d.Relations) != 0) {
				t.Errorf("want an empty draft, got %d entities: %q", len(d.Entities), entityStrings(d))
			}
			if tt.want == 1 && len(d.Entities) == 0 {
				t.Errorf("want entities")
			}
			checkDraft(t, tt.text, d)
		})
	}
}

// FuzzExtract: whatever the text, the draft keeps its promises.
func FuzzExtract(f *testing.F) {
	for _, seed := range []string{
		"Deputy Attorney General Mara Quill announced charges against Lev Arno and Ida Rusk.",
		"The indictment charged Lev Arno, 34, and Ida Rusk, 29, with wire fraud.",
		"Iran's state-sponsored APT77 hacked banks in Brazil.\n\n“Shameful,” said Secretary Mara Quill.",
		"“", "Republic of X", "The Government of", "A, 1, and B", "(“", ", a company", "U.S. Attorney for the District of",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<16 {
			return
		}
		d := Extract(text, Options{})
		checkDraft(t, text, d)
	})
}
