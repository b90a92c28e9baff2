/**
 * The same phrasing families in the languages European and Japanese receivers answer in:
 * French (Orange, SFR, Free, La Poste write "Utilisateur inconnu", "Boite pleine",
 * "Trop de connexions"), German (GMX, Web.de, T-Online and many Postfix/Exim set-ups:
 * "Benutzer unbekannt", "Postfach voll"), Italian, Spanish, Portuguese, Dutch, Polish (WP, Onet,
 * Interia: "Twoj serwer … zablokowany za spam"), Czech (Seznam) and Japanese (Domino, Japanese
 * carriers: "存在しません"). Patterns are written as the normaliser leaves text: lower case,
 * accents folded ("boîte" → "boite", "użytkownik" → "uzytkownik", "Empfänger" → "empfanger").
 */
import type { Class } from '../../../../kernel/index.ts';
import type { Rule } from './rule.ts';
import { rule, text } from './rule.ts';

type Phrases = Partial<Record<Class, RegExp>>;

/** Per language, the phrases that name a cause other than a missing address. */
const SPECIFIC: Readonly<Record<string, Phrases>> = {
  fr: {
    'mailbox-full':
      /boite (aux lettres |du destinataire |de reception )?(est )?(pleine|saturee)|quota (depasse|atteint)|espace (de stockage )?insuffisant/,
    'mailbox-disabled':
      /compte\b.{0,30}\b(bloque|desactive|suspendu|ferme)|boite\b.{0,30}\b(archivee|desactivee|bloquee|fermee)/,
    'too-many-connections': /trop de connexions/,
    'rate-limited': /trop de (messages|mails|courriels)/,
    'content-spam': /contenu non sollicite|courrier indesirable|pourriel/,
    'auth-failure': /emetteur invalide|expediteur invalide|verification (spf|dkim|dmarc)/,
  },
  de: {
    'mailbox-full':
      /postfach (ist )?(voll|uberfullt)|speicherplatz\b.{0,20}(uberschritten|erschopft)|(quota|kontingent)\b.{0,20}(uberschritten|erschopft)/,
    'mailbox-disabled': /(konto|postfach|account)\b.{0,30}\b(gesperrt|deaktiviert|stillgelegt|inaktiv)/,
    'too-many-connections': /zu viele verbindungen/,
    'rate-limited': /zu viele (nachrichten|e-?mails|mails)/,
    'content-spam': /als spam (erkannt|eingestuft)|spamverdacht|unerwunschte werbung/,
  },
  it: {
    'mailbox-full': /casella (di posta )?(e )?(piena|satura)|quota (superata|esaurita)|spazio (esaurito|insufficiente)/,
    'mailbox-disabled': /(casella|account|utenza)\b.{0,30}\b(disattivat|sospes|bloccat|disabilitat)/,
    'too-many-connections': /troppe connessioni/,
    'rate-limited': /troppi (messaggi|invii)/,
    'content-spam': /(messaggio|contenuto)\b.{0,30}\b(indesiderat|considerato spam)/,
  },
  es: {
    'mailbox-full': /buzon (esta )?(lleno|completo)|cuota (excedida|superada)|(sin|no hay) espacio/,
    'mailbox-disabled': /(cuenta|buzon)\b.{0,20}\b(desactivad|suspendid|bloquead|inactiv)/,
    'too-many-connections': /demasiadas conexiones/,
    'rate-limited': /demasiados (mensajes|correos)/,
  },
  pt: {
    'mailbox-full': /caixa (postal |de correio )?(esta )?(cheia|lotada)|(cota|quota) (excedida|esgotada)/,
    'mailbox-disabled': /(conta|caixa)\b.{0,20}\b(desativad|desactivad|suspens|bloquead|inativ)/,
    'too-many-connections': /conexoes demais|muitas conexoes/,
    'rate-limited': /mensagens demais|muitas mensagens/,
  },
  nl: {
    'mailbox-full': /(mailbox|postbus) (is )?vol\b|quotum (overschreden|bereikt)/,
    'mailbox-disabled': /(account|mailbox|postbus)\b.{0,20}\b(geblokkeerd|gedeactiveerd|uitgeschakeld|opgeheven)/,
    'too-many-connections': /te veel verbindingen/,
    'rate-limited': /te veel (berichten|e-?mails)/,
  },
  pl: {
    'mailbox-full': /skrzynka\b.{0,20}\b(pelna|przepelniona)|przekroczon\w* (limit|pojemnosc)/,
    'mailbox-disabled': /(konto|skrzynka)\b.{0,30}\b(zablokowan|zawieszon|wylaczon|nieaktywn)/,
    'reputation-block': /(serwer|adres ip|\bip)\b.{0,40}\bzablokowan\w*/,
    'too-many-connections': /(zbyt wiele|za duzo) polaczen/,
    'rate-limited': /(zbyt wiele|za duzo) (wiadomosci|listow)/,
  },
  cs: {
    'mailbox-full': /schranka\b.{0,20}\b(je plna|plna|preplnena)|prekrocen\w* (kvot|limit)/,
    'mailbox-disabled': /(ucet|schranka)\b.{0,30}\b(zablokovan|deaktivovan|zrusen|neaktivni)/,
    'reputation-block': /(ip adresa|server|vase ip)\b.{0,40}\b(blokovan|zablokovan)/,
    'content-spam': /zprava\b.{0,30}\b(spam|nevyzadan)/,
    'too-many-connections': /prilis mnoho (spojeni|pripojeni)/,
    'rate-limited': /prilis mnoho (zprav|emailu|e-mailu)/,
  },
  ja: {
    'mailbox-full': /(容量|メールボックス).{0,10}(超過|いっぱい|不足)|容量オーバー/,
    'mailbox-disabled': /(アカウント|メールボックス).{0,20}(停止|無効|凍結)/,
  },
};

/** Per language, the phrases that say the address does not exist. */
const ADDRESS: Readonly<Record<string, RegExp>> = {
  fr: /utilisateur (inconnu|inexistant)|destinataire (inconnu|invalide|inexistant)|adresse\b.{0,40}\b(inconnue|invalide|inexistante)|boite (aux lettres )?(inexistante|inconnue)|n'existe pas|compte inexistant/,
  de: /(benutzer|empfanger|nutzer|postfach|adresse|mailbox|konto)\b.{0,30}\b(unbekannt|existiert nicht|nicht vorhanden|nicht gefunden|ungultig)|unbekannte?r? (benutzer|empfanger|nutzer|adresse)|kein(en)? (solche[rn]? )?(benutzer|empfanger|postfach)/,
  it: /utente (sconosciuto|inesistente|non (esiste|trovato|valido))|indirizzo (inesistente|non (valido|esistente))|casella (di posta )?(inesistente|non esiste)|destinatario (sconosciuto|inesistente|non valido)/,
  es: /usuario (desconocido|inexistente|no existe|no encontrado|no valido)|(buzon|cuenta|direccion|destinatario)\b.{0,20}\b(no existe|inexistente|desconocid|no valid)/,
  pt: /(usuario|utilizador) (desconhecido|inexistente|nao existe|nao encontrado)|(conta|caixa postal|endereco|destinatario)\b.{0,20}\b(nao existe|inexistente|desconhecid|invalid)/,
  nl: /(gebruiker|ontvanger|adres|mailbox|postbus)\b.{0,20}\b(onbekend|bestaat niet|niet gevonden|ongeldig)|onbekende (gebruiker|ontvanger)/,
  pl: /(uzytkownik|adres|skrzynka|konto|odbiorca)\b.{0,30}\b(nie istnieje|nieznan|nie znalezion|nieprawidlow)|nieznany (uzytkownik|odbiorca|adres)|brak (takiego )?(uzytkownika|skrzynki|konta|adresu)/,
  cs: /(uzivatel|adresat|schranka|adresa|ucet)\b.{0,30}\b(neexistuje|nenalezen|neznam|neplatn)|neznamy (uzivatel|adresat)/,
  ja: /(ユーザ|ユーザー|宛先|アドレス|メールボックス|受信者).{0,40}(存在しません|見つかりません|不明|ありません)|存在しない(ユーザ|アドレス|宛先)/,
};

function specificRules(): Rule[] {
  return Object.entries(SPECIFIC).flatMap(([language, phrases]) =>
    Object.entries(phrases).map(([cls, pattern]) => rule(`lang.${language}.${cls}`, cls as Class, text(pattern))),
  );
}

/** Non-English phrases naming a cause other than the address; they run before the English families. */
export const LANGUAGE_SPECIFIC_RULES: readonly Rule[] = specificRules();

/** Non-English "no such user" phrases; they run with the English address rules. */
export const LANGUAGE_ADDRESS_RULES: readonly Rule[] = Object.entries(ADDRESS).map(([language, pattern]) =>
  rule(`lang.${language}.unknown-user`, 'unknown-user', text(pattern)),
);

/** Non-English "try again later" texts, read as the receiver's own trouble. */
export const LANGUAGE_TRANSIENT_RULES: readonly Rule[] = [
  rule(
    'lang.fr.server-error',
    'server-error',
    text(/service (temporairement )?(refuse|indisponible)|(veuillez )?(essayer|reessayer) plus tard/),
  ),
  rule(
    'lang.de.server-error',
    'server-error',
    text(/vorubergehend (nicht verfugbar|nicht erreichbar|gestort)|versuchen sie es spater/),
  ),
  rule('lang.it.server-error', 'server-error', text(/riprovare piu tardi|temporaneamente non disponibile/)),
  rule('lang.es.server-error', 'server-error', text(/intentelo (de nuevo )?mas tarde|temporalmente no disponible/)),
];
