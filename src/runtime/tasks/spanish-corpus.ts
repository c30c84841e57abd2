/**
 * A built-in Spanish corpus for the character-level language model, generated
 * by a small grammar written for Celda (no third-party text). Its sentences are
 * about going places with people and pets — the tutorial's running example is a
 * phone keyboard finishing "Voy al parque con mi per…" — and the grammar keeps
 * long-range agreement, so the right next characters depend on words several
 * steps back:
 *
 * - subject person/number ↔ verb ending (voy/vas/va/vamos/van, llevo/lleva/llevan…),
 *   also for a second verb later in the sentence ("…y la llevo al parque");
 * - subject ↔ possessive (mi/tu/su/nuestro…), possessive ↔ noun gender and
 *   number (mi perro, mi perra, sus gatos, nuestras gatas);
 * - "al" / "a la" / "a los" / "a las" (and "del" / "de la") by the place's gender;
 * - clause variants: "con…", "lleva a…", "pasea a… por…", "tiene una perra que
 *   se llama… y la lleva…", "cuando…", "porque…", "y después…", where object
 *   pronouns and adjectives agree with a noun or subject named earlier
 *   ("porque está enferma", "porque les gusta correr", "cuando estoy cansada").
 *
 * The text is deterministic for a seed (its own named stream: deriveRng(seed, 'spanish-corpus')).
 */
import { deriveRng, type Rng } from '../rng';

/** Grammatical person and number: 1st/2nd/3rd singular, 1st/3rd plural (no vosotros). */
export type Person = '1s' | '2s' | '3s' | '1p' | '3p';
export type Gender = 'm' | 'f';

/** Column of each person in the CONJUGATIONS rows. */
export const PERSON_INDEX: Readonly<Record<Person, number>> = { '1s': 0, '2s': 1, '3s': 2, '1p': 3, '3p': 4 };

/** Present-tense forms [yo, tú, él/ella, nosotros, ellos] of the verbs the grammar uses. */
export const CONJUGATIONS = {
  ir: ['voy', 'vas', 'va', 'vamos', 'van'],
  llevar: ['llevo', 'llevas', 'lleva', 'llevamos', 'llevan'],
  pasear: ['paseo', 'paseas', 'pasea', 'paseamos', 'pasean'],
  tener: ['tengo', 'tienes', 'tiene', 'tenemos', 'tienen'],
  volver: ['vuelvo', 'vuelves', 'vuelve', 'volvemos', 'vuelven'],
  estar: ['estoy', 'estás', 'está', 'estamos', 'están'],
  querer: ['quiero', 'quieres', 'quiere', 'queremos', 'quieren'],
  salir: ['salgo', 'sales', 'sale', 'salimos', 'salen'],
} as const satisfies Record<string, readonly [string, string, string, string, string]>;

export type Verb = keyof typeof CONJUGATIONS;

export interface SubjectEntry {
  /** Lower case as it appears inside a sentence ("la niña", "yo", "Ana"). */
  readonly text: string;
  readonly person: Person;
  readonly gender: Gender;
  /** A pronoun the grammar may leave out (Spanish drops yo/tú/nosotros): "Voy al parque…". */
  readonly droppable: boolean;
  readonly weight: number;
}

/** Who does the going. 1st person is frequent: a keyboard's user writes about themselves. */
export const SUBJECTS: readonly SubjectEntry[] = [
  { text: 'yo', person: '1s', gender: 'm', droppable: true, weight: 3 },
  { text: 'yo', person: '1s', gender: 'f', droppable: true, weight: 3 },
  { text: 'tú', person: '2s', gender: 'm', droppable: true, weight: 1 },
  { text: 'tú', person: '2s', gender: 'f', droppable: true, weight: 1 },
  { text: 'la niña', person: '3s', gender: 'f', droppable: false, weight: 1 },
  { text: 'el niño', person: '3s', gender: 'm', droppable: false, weight: 1 },
  { text: 'mi hermana', person: '3s', gender: 'f', droppable: false, weight: 0.6 },
  { text: 'mi hermano', person: '3s', gender: 'm', droppable: false, weight: 0.6 },
  { text: 'mi abuela', person: '3s', gender: 'f', droppable: false, weight: 0.6 },
  { text: 'mi abuelo', person: '3s', gender: 'm', droppable: false, weight: 0.6 },
  { text: 'la vecina', person: '3s', gender: 'f', droppable: false, weight: 0.5 },
  { text: 'el vecino', person: '3s', gender: 'm', droppable: false, weight: 0.5 },
  { text: 'Ana', person: '3s', gender: 'f', droppable: false, weight: 0.5 },
  { text: 'Pablo', person: '3s', gender: 'm', droppable: false, weight: 0.5 },
  { text: 'Lucía', person: '3s', gender: 'f', droppable: false, weight: 0.5 },
  { text: 'Mateo', person: '3s', gender: 'm', droppable: false, weight: 0.5 },
  { text: 'ella', person: '3s', gender: 'f', droppable: false, weight: 0.4 },
  { text: 'él', person: '3s', gender: 'm', droppable: false, weight: 0.4 },
  { text: 'nosotros', person: '1p', gender: 'm', droppable: true, weight: 1 },
  { text: 'nosotras', person: '1p', gender: 'f', droppable: true, weight: 1 },
  { text: 'mis abuelos', person: '3p', gender: 'm', droppable: false, weight: 0.6 },
  { text: 'mis padres', person: '3p', gender: 'm', droppable: false, weight: 0.5 },
  { text: 'mis primas', person: '3p', gender: 'f', droppable: false, weight: 0.4 },
  { text: 'los niños', person: '3p', gender: 'm', droppable: false, weight: 0.5 },
  { text: 'las niñas', person: '3p', gender: 'f', droppable: false, weight: 0.5 },
  { text: 'las vecinas', person: '3p', gender: 'f', droppable: false, weight: 0.3 },
  { text: 'Ana y Pablo', person: '3p', gender: 'm', droppable: false, weight: 0.3 },
  { text: 'ellos', person: '3p', gender: 'm', droppable: false, weight: 0.3 },
  { text: 'ellas', person: '3p', gender: 'f', droppable: false, weight: 0.3 },
];

export interface NounEntry {
  /** [masculine singular, feminine singular, masculine plural, feminine plural]. */
  readonly forms: readonly [string, string, string, string];
  readonly kind: 'pet' | 'person';
  readonly weight: number;
}

/** Pets and people that go along. Dogs lead: the keyboard expects "perro". */
export const COMPANIONS: readonly NounEntry[] = [
  { forms: ['perro', 'perra', 'perros', 'perras'], kind: 'pet', weight: 6 },
  { forms: ['gato', 'gata', 'gatos', 'gatas'], kind: 'pet', weight: 3 },
  { forms: ['conejo', 'coneja', 'conejos', 'conejas'], kind: 'pet', weight: 1 },
  { forms: ['amigo', 'amiga', 'amigos', 'amigas'], kind: 'person', weight: 2 },
  { forms: ['primo', 'prima', 'primos', 'primas'], kind: 'person', weight: 1 },
  { forms: ['hermano', 'hermana', 'hermanos', 'hermanas'], kind: 'person', weight: 1 },
  { forms: ['abuelo', 'abuela', 'abuelos', 'abuelas'], kind: 'person', weight: 1 },
  { forms: ['vecino', 'vecina', 'vecinos', 'vecinas'], kind: 'person', weight: 0.7 },
  { forms: ['hijo', 'hija', 'hijos', 'hijas'], kind: 'person', weight: 0.7 },
  { forms: ['tío', 'tía', 'tíos', 'tías'], kind: 'person', weight: 0.6 },
];

export interface PlaceEntry {
  readonly noun: string;
  readonly gender: Gender;
  readonly plural: boolean;
  /** Whether pets go there; the vet is only for pets. */
  readonly pets: boolean;
  readonly petsOnly?: boolean;
  readonly weight: number;
}

/** Where they go. */
export const PLACES: readonly PlaceEntry[] = [
  { noun: 'parque', gender: 'm', plural: false, pets: true, weight: 7 },
  { noun: 'playa', gender: 'f', plural: false, pets: true, weight: 4 },
  { noun: 'plaza', gender: 'f', plural: false, pets: true, weight: 2 },
  { noun: 'río', gender: 'm', plural: false, pets: true, weight: 1 },
  { noun: 'campo', gender: 'm', plural: false, pets: true, weight: 1 },
  { noun: 'bosque', gender: 'm', plural: false, pets: true, weight: 1 },
  { noun: 'montaña', gender: 'f', plural: false, pets: true, weight: 1 },
  { noun: 'jardines', gender: 'm', plural: true, pets: true, weight: 0.6 },
  { noun: 'veterinario', gender: 'm', plural: false, pets: true, petsOnly: true, weight: 1.5 },
  { noun: 'mercado', gender: 'm', plural: false, pets: false, weight: 1 },
  { noun: 'cine', gender: 'm', plural: false, pets: false, weight: 1 },
  { noun: 'museo', gender: 'm', plural: false, pets: false, weight: 0.7 },
  { noun: 'colegio', gender: 'm', plural: false, pets: false, weight: 0.7 },
  { noun: 'biblioteca', gender: 'f', plural: false, pets: false, weight: 0.7 },
  { noun: 'piscina', gender: 'f', plural: false, pets: false, weight: 1 },
  { noun: 'escuela', gender: 'f', plural: false, pets: false, weight: 0.7 },
  { noun: 'tiendas', gender: 'f', plural: true, pets: false, weight: 0.6 },
];

/** Names for a pet introduced with "que se llama…", by its gender. */
export const PET_NAMES: Readonly<Record<Gender, readonly string[]>> = {
  m: ['Toby', 'Rufo', 'Max', 'Simón', 'Tigre', 'Copito'],
  f: ['Luna', 'Canela', 'Nala', 'Kira', 'Mora', 'Pelusa'],
};

/** Time phrases that may open a sentence ("Hoy voy al parque…"). */
export const TIME_PHRASES: readonly string[] = [
  'hoy', 'mañana', 'esta tarde', 'los domingos', 'los sábados', 'cada mañana', 'por la tarde', 'después de comer',
];

/** "Cuando …," openings that do not depend on the subject. */
export const WEATHER_CONDITIONS: readonly string[] = [
  'hace sol', 'hace buen tiempo', 'hace calor', 'hace frío', 'llueve', 'es domingo', 'sale el sol', 'termina el colegio',
];

/** Adjective stems that take -o/-a/-os/-as ("cansad" → cansado, cansadas). */
export const ADJECTIVE_STEMS: readonly string[] = ['content', 'cansad', 'aburrid', 'enferm', 'nervios'];

/** Infinitives after "le gusta" / "quiere" ("porque le gusta correr"). */
export const ACTIVITIES: Readonly<Record<'pet' | 'person', readonly string[]>> = {
  pet: ['correr', 'nadar', 'jugar', 'oler las flores', 'perseguir palomas'],
  person: ['pasear', 'nadar', 'jugar', 'leer', 'tomar el sol'],
};

/** Default number of sentences: about 60 000 characters. */
export const SPANISH_CORPUS_SENTENCES = 1000;

// ---------------------------------------------------------------------------

interface Weighted { readonly weight: number }

function pickWeighted<T extends Weighted>(rng: Rng, items: readonly T[]): T {
  let total = 0;
  for (const it of items) total += it.weight;
  let r = rng.next() * total;
  for (const it of items) {
    r -= it.weight;
    if (r < 0) return it;
  }
  return items[items.length - 1];
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)];
}

const chance = (rng: Rng, p: number): boolean => rng.next() < p;

const isPlural = (p: Person): boolean => p === '1p' || p === '3p';

function conj(verb: Verb, person: Person): string {
  return CONJUGATIONS[verb][PERSON_INDEX[person]];
}

/** The possessive for an owner agreeing with the owned noun: mi perro, nuestras gatas. */
export function possessive(owner: Person, gender: Gender, plural: boolean): string {
  const s = plural ? 's' : '';
  switch (owner) {
    case '1s': return `mi${s}`;
    case '2s': return `tu${s}`;
    case '1p': return `nuestr${gender === 'm' ? 'o' : 'a'}${s}`;
    default: return `su${s}`;
  }
}

function adjective(stem: string, gender: Gender, plural: boolean): string {
  return `${stem}${gender === 'm' ? 'o' : 'a'}${plural ? 's' : ''}`;
}

/** "a" + place with its article: al parque, a la playa, a los jardines; likewise del / de la, por el… */
export function placePhrase(prep: 'a' | 'de' | 'por', place: PlaceEntry): string {
  const article = place.plural ? (place.gender === 'm' ? 'los' : 'las') : place.gender === 'm' ? 'el' : 'la';
  if (article === 'el' && prep === 'a') return `al ${place.noun}`;
  if (article === 'el' && prep === 'de') return `del ${place.noun}`;
  return `${prep} ${article} ${place.noun}`;
}

interface NounPhrase {
  readonly entry: NounEntry;
  readonly gender: Gender;
  readonly plural: boolean;
  readonly word: string;
}

function pickCompanion(rng: Rng, kind?: 'pet'): NounPhrase {
  const pool = kind ? COMPANIONS.filter((c) => c.kind === kind) : COMPANIONS;
  const entry = pickWeighted(rng, pool);
  const gender: Gender = chance(rng, 0.5) ? 'm' : 'f';
  const plural = chance(rng, 0.25);
  return { entry, gender, plural, word: entry.forms[(gender === 'm' ? 0 : 1) + (plural ? 2 : 0)] };
}

function pickPlace(rng: Rng, companion: NounPhrase | null): PlaceEntry {
  const pool = PLACES.filter((p) =>
    companion === null ? true : companion.entry.kind === 'pet' ? p.pets : !p.petsOnly);
  return pickWeighted(rng, pool);
}

/** A "porque …" clause about the companion: agrees with its gender and number. */
function becauseCompanion(rng: Rng, c: NounPhrase, place: PlaceEntry | null): string {
  const who: Person = c.plural ? '3p' : '3s';
  const le = c.plural ? 'les' : 'le';
  const roll = rng.next();
  if (place?.petsOnly || roll < 0.3) {
    return `porque ${conj('estar', who)} ${adjective(pick(rng, ['enferm', 'nervios', 'cansad']), c.gender, c.plural)}`;
  }
  const activity = pick(rng, ACTIVITIES[c.entry.kind]);
  if (roll < 0.7) return `porque ${le} gusta ${activity}`;
  return `porque ${conj('querer', who)} ${activity}`;
}

/** A "porque …" clause about the subject: verb and adjective agree with it. */
function becauseSubject(rng: Rng, s: SubjectEntry): string {
  const roll = rng.next();
  if (roll < 0.4) return `porque ${conj('estar', s.person)} ${adjective(pick(rng, ['content', 'aburrid']), s.gender, isPlural(s.person))}`;
  if (roll < 0.7) return `porque ${conj('tener', s.person)} tiempo`;
  if (roll < 0.85) return `porque ${conj('querer', s.person)} descansar`;
  return `porque ${pick(rng, WEATHER_CONDITIONS)}`;
}

/** Something said after the main clause, or null. */
function tail(rng: Rng, s: SubjectEntry, c: NounPhrase | null, place: PlaceEntry | null, when: boolean): string | null {
  if (place?.petsOnly && c) return becauseCompanion(rng, c, place);
  const roll = rng.next();
  if (roll < 0.6) return null;
  if (roll < 0.78 && c) return becauseCompanion(rng, c, place);
  // After a "cuando …," opening a second reason about the subject reads badly.
  if (roll < 0.9) return when ? null : becauseSubject(rng, s);
  return `y después ${conj('volver', s.person)} a casa`;
}

/** An opening ("hoy", "cuando llueve,", "cuando estoy cansada,") or null. */
function opening(rng: Rng, s: SubjectEntry): string | null {
  const roll = rng.next();
  if (roll < 0.65) return null;
  if (roll < 0.8) return pick(rng, TIME_PHRASES);
  if (roll < 0.9) return `cuando ${pick(rng, WEATHER_CONDITIONS)},`;
  const sub = rng.next();
  if (sub < 0.4) return `cuando ${conj('estar', s.person)} ${adjective(pick(rng, ['cansad', 'aburrid']), s.gender, isPlural(s.person))},`;
  if (sub < 0.75) return `cuando ${conj('tener', s.person)} tiempo,`;
  return `cuando ${conj('salir', s.person)} del trabajo,`;
}

function capitalise(sentence: string): string {
  const i = sentence.startsWith('¿') ? 1 : 0;
  return sentence.slice(0, i) + sentence.charAt(i).toUpperCase() + sentence.slice(i + 1);
}

/** One sentence, capitalised and punctuated. */
function sentence(rng: Rng): string {
  const s = pickWeighted(rng, SUBJECTS);
  const open = opening(rng, s);
  // A pronoun is usually dropped, and always after an opening ("Hoy voy…", not "Hoy yo voy…").
  const subject = s.droppable && (open !== null || chance(rng, 0.75)) ? null : s.text;
  const p = s.person;
  const words: string[] = [];
  if (open) words.push(open);
  if (subject) words.push(subject);
  const when = open !== null && open.startsWith('cuando');

  const template = rng.next();
  if (template < 0.45) {
    // Ir: "Voy al parque con mi perro."
    const c = chance(rng, 0.85) ? pickCompanion(rng) : null;
    const place = pickPlace(rng, c);
    words.push(conj('ir', p), placePhrase('a', place));
    if (c) words.push('con', possessive(p, c.gender, c.plural), c.word);
    const t = tail(rng, s, c, place, when);
    if (t) words.push(t);
  } else if (template < 0.65) {
    // Llevar: "La niña lleva a su gata al veterinario."
    const c = pickCompanion(rng);
    const place = pickPlace(rng, c);
    words.push(conj('llevar', p), 'a', possessive(p, c.gender, c.plural), c.word, placePhrase('a', place));
    const t = tail(rng, s, c, place, when);
    if (t) words.push(t);
  } else if (template < 0.77) {
    // Pasear: "Mis abuelos pasean a sus perros por la playa."
    const c = pickCompanion(rng, 'pet');
    const place = pickWeighted(rng, PLACES.filter((pl) => pl.pets && !pl.petsOnly));
    words.push(conj('pasear', p), 'a', possessive(p, c.gender, c.plural), c.word, placePhrase('por', place));
    const t = tail(rng, s, c, place, when);
    if (t) words.push(t);
  } else if (template < 0.91) {
    // Tener … y lo/la lleva: "Tengo una perra que se llama Luna y la llevo a la playa."
    const c = pickCompanion(rng, 'pet');
    const place = pickPlace(rng, c);
    const pronoun = `${c.gender === 'm' ? 'lo' : 'la'}${c.plural ? 's' : ''}`;
    words.push(conj('tener', p));
    if (c.plural) words.push(pick(rng, ['dos', 'tres']), c.word);
    else words.push(c.gender === 'm' ? 'un' : 'una', c.word, 'que se llama', pick(rng, PET_NAMES[c.gender]));
    words.push('y', pronoun, conj('llevar', p), placePhrase('a', place));
    if (place.petsOnly) words.push(becauseCompanion(rng, c, place));
  } else {
    // Volver: "Mis abuelos vuelven de la playa con sus perros."
    const c = pickCompanion(rng);
    const place = pickPlace(rng, c);
    words.push(conj('volver', p), placePhrase('de', place), 'con', possessive(p, c.gender, c.plural), c.word);
  }

  const body = words.join(' ');
  // Questions to "tú" now and then: "¿Vas a la playa con tu perra?"
  if (p === '2s' && chance(rng, 0.4)) return capitalise(`¿${body}?`);
  return capitalise(`${body}.`);
}

/**
 * `sentences` sentences from the grammar, one per line (joined by "\n", no
 * trailing newline). Deterministic for a seed; different seeds give different text.
 */
export function generateSpanishCorpus(seed: number, sentences: number = SPANISH_CORPUS_SENTENCES): string {
  if (!Number.isInteger(sentences) || sentences < 0) throw new RangeError(`sentences must be a non-negative integer, got ${sentences}`);
  const rng = deriveRng(seed, 'spanish-corpus');
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(rng));
  return out.join('\n');
}
