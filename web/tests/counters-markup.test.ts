// The client's mention rule against the server's: the cases of tests/unit/core/message_markup_test.cc.
import { describe, expect, it } from 'vitest';
import { countsOf, findMentions, mentionsAccount } from '../src/ui/counters';

const INT64_MAX = 9223372036854775807n;
const mentioned = (body: string) => findMentions(body).ids;
const ids = (...n: Array<number | bigint>) => n.map((x) => BigInt(x));

describe('findMentions (port of message_markup_test.cc)', () => {
  it('EmptyBodyMentionsNobody', () => {
    expect(findMentions('')).toEqual({ ids: [], toAll: false });
  });

  it('PlainTextMentionsNobody', () => {
    expect(findMentions('hello [world] 123 [ To:1 ]')).toEqual({ ids: [], toAll: false });
  });

  it('ToTagMentionsAccount', () => {
    expect(mentioned('[To:123]Yamada-san\nplease check')).toEqual(ids(123));
  });

  it('ToTagsAreCollectedInOrder', () => {
    expect(mentioned('[To:3]c [To:1]a\n[To:2]b')).toEqual(ids(3, 1, 2));
  });

  it('DuplicateMentionsAreCollapsedKeepingFirstPosition', () => {
    expect(mentioned('[To:2][To:1][rp aid=2 to=9-9][To:1][To:3]')).toEqual(ids(2, 1, 3));
  });

  it('ReplyTagMentionsAid', () => {
    expect(mentioned('[rp aid=123 to=45-6789][pname:123]さん ok')).toEqual(ids(123));
  });

  it('ReplyTagWithoutTargetMentionsAid', () => {
    expect(mentioned('[rp aid=123]')).toEqual(ids(123));
  });

  it('ReplyTagAttributesInAnyOrder', () => {
    expect(mentioned('[rp to=45-6789 aid=77]')).toEqual(ids(77));
    expect(mentioned('[rp  foo=bar   aid=78  to=1-2 ]')).toEqual(ids(78));
  });

  it('ReplyTagWithoutAidMentionsNobody', () => {
    for (const body of ['[rp to=45-6789]', '[rp ]', '[rp]', '[rpaid=5]']) expect(mentioned(body), body).toEqual([]);
  });

  it('ReplyTagWithBadAidMentionsNobody', () => {
    for (const body of ['[rp aid=abc to=1-2]', '[rp aid= to=1-2]', '[rp aid=12x to=1-2]', '[rp aid=0]', '[rp aid=-5]', '[rp aid=99999999999999999999999]', '[rp xaid=5]']) expect(mentioned(body), body).toEqual([]);
  });

  it('FirstReplyAidDecides', () => {
    expect(mentioned('[rp aid=5 aid=6]')).toEqual(ids(5));
    expect(mentioned('[rp aid=bad aid=6]')).toEqual([]);
  });

  it('UnterminatedReplyTagMentionsNobody', () => {
    expect(mentioned('[rp aid=5')).toEqual([]);
    expect(mentioned('[rp aid=5 to=1-2')).toEqual([]);
    // A tag cannot span another tag; the following [To:] still counts.
    expect(mentioned('[rp aid=5 [To:6]')).toEqual(ids(6));
  });

  it('ToAllSetsFlag', () => {
    expect(findMentions('[toall] meeting at 3')).toEqual({ ids: [], toAll: true });
  });

  it('ToAllAndToTagsCombine', () => {
    expect(findMentions('[To:1][toall][To:2]')).toEqual({ ids: ids(1, 2), toAll: true });
  });

  it('TagNamesAreCaseSensitive', () => {
    expect(findMentions('[to:1][TO:2][tO:3][RP aid=4][Rp aid=5][ToAll][TOALL][toAll]')).toEqual({ ids: [], toAll: false });
  });

  it('MalformedToTagsMentionNobody', () => {
    for (const body of ['[To:abc]', '[To:]', '[To:12a]', '[To: 12]', '[To:12 ]', '[To:-12]', '[To:+12]', '[To:0]', '[To:000]', '[To:12', '[To:', '[To', '[', '[To:１２]']) expect(mentioned(body), body).toEqual([]);
  });

  it('MalformedTagDoesNotHideTheNextTag', () => {
    expect(mentioned('[To:abc[To:7]')).toEqual(ids(7));
    expect(mentioned('[To:[To:8]')).toEqual(ids(8));
    expect(mentioned('[[To:9]]')).toEqual(ids(9));
  });

  it('LeadingZerosAreAccepted', () => {
    expect(mentioned('[To:007]')).toEqual(ids(7));
  });

  it('IdsUpToInt64MaxAreAccepted', () => {
    expect(mentioned('[To:9223372036854775807]')).toEqual([INT64_MAX]);
    expect(mentioned('[rp aid=9223372036854775807]')).toEqual([INT64_MAX]);
  });

  it('OverflowingIdsAreIgnored', () => {
    expect(mentioned('[To:9223372036854775808]')).toEqual([]);
    expect(mentioned('[To:99999999999999999999999]')).toEqual([]);
    expect(mentioned('[To:18446744073709551617]')).toEqual([]); // 2^64 + 1 must not wrap to 1.
  });

  it('ToInsideQuoteDoesNotCount', () => {
    expect(mentioned('[qt][qtmeta aid=5 time=1700000000][To:1] hi[/qt]ok')).toEqual([]);
  });

  it('ReplyAndToAllInsideQuoteDoNotCount', () => {
    expect(findMentions('[qt][rp aid=2 to=3-4][toall][/qt]')).toEqual({ ids: [], toAll: false });
  });

  it('QuoteMetaAidIsNotAMention', () => {
    expect(mentioned('[qt][qtmeta aid=5]quoted[/qt]')).toEqual([]);
    expect(mentioned('[qtmeta aid=5 time=1]')).toEqual([]);
  });

  it('TagsAroundQuoteCount', () => {
    expect(mentioned('[To:1][qt][qtmeta aid=2 time=1][To:2][/qt][To:3]')).toEqual(ids(1, 3));
  });

  it('NestedQuotesHideUntilOutermostClose', () => {
    expect(mentioned('[qt][qt][To:1][/qt][To:2][/qt][To:3]')).toEqual(ids(3));
  });

  it('UnclosedQuoteHidesTheRest', () => {
    expect(findMentions('[To:1][qt][qtmeta aid=2][To:2][toall]')).toEqual({ ids: ids(1), toAll: false });
  });

  it('UnbalancedNestedQuoteHidesTheRest', () => {
    expect(mentioned('[qt][qt][/qt][To:1]')).toEqual([]);
  });

  it('StrayQuoteCloseIsPlainText', () => {
    expect(mentioned('[/qt][To:1][/qt][qt][To:2][/qt][To:3]')).toEqual(ids(1, 3));
  });

  it('QuoteTagsAreCaseSensitive', () => {
    expect(mentioned('[QT][To:1][/QT]')).toEqual(ids(1));
    expect(mentioned('[qt][To:1][/QT][To:2]')).toEqual([]);
  });

  it('ToInsideCodeDoesNotCount', () => {
    expect(findMentions('[code][To:1][rp aid=2][toall][/code][To:3]')).toEqual({ ids: ids(3), toAll: false });
  });

  it('NestedCodeIsLiteralAndFirstCloseEndsCode', () => {
    expect(mentioned('[code][code][To:1][/code][To:2][/code][To:3]')).toEqual(ids(2, 3));
  });

  it('QuoteTagsInsideCodeAreLiteral', () => {
    expect(mentioned('[code][qt][/code][To:2]')).toEqual(ids(2));
    expect(mentioned('[qt][code][/qt][/code][To:1][/qt][To:2]')).toEqual(ids(2));
  });

  it('CodeInsideQuoteStillHides', () => {
    expect(mentioned('[qt][code][To:1][/code][To:2][/qt][To:3]')).toEqual(ids(3));
  });

  it('UnclosedCodeHidesTheRest', () => {
    expect(findMentions('[To:1][code][To:2][toall]')).toEqual({ ids: ids(1), toAll: false });
  });

  it('StrayCodeCloseIsPlainText', () => {
    expect(mentioned('[/code][To:1]')).toEqual(ids(1));
  });

  it('CodeTagsAreCaseSensitive', () => {
    expect(mentioned('[CODE][To:1][/CODE]')).toEqual(ids(1));
  });

  it('OtherTagsDoNotHideMentions', () => {
    expect(mentioned('[info][title][To:1][/title][To:2][hr][/info][task aid=3][To:4][/task]')).toEqual(ids(1, 2, 4));
  });

  it('MultibyteTextAroundTagsIsSkipped', () => {
    expect(mentioned('こんにちは[To:12]山田さん、[rp aid=34 to=5-6]了解です🎉[toall]')).toEqual(ids(12, 34));
  });

  it('InvalidTextDoesNotCrash', () => {
    // The browser sees decoded text: lone surrogates and NULs stand in for invalid UTF-8.
    expect(mentioned('\uFFFD\uD800[To:5]\uDC00\0[To:6]\uFFFD')).toEqual(ids(5, 6));
  });

  const kHostile = 4 * 65535;
  const repeat = (unit: string, size = kHostile) => unit.repeat(Math.ceil(size / unit.length));

  it('ThousandsOfDistinctMentionsAreAllCollected', () => {
    let body = '';
    for (let i = 1; i <= 10_000; i++) body += `[To:${i}]`;
    const m = mentioned(body);
    expect(m.length).toBe(10_000);
    expect(m[0]).toBe(1n);
    expect(m[m.length - 1]).toBe(10_000n);
  });

  it('ThousandsOfRepeatedMentionsCollapse', () => {
    expect(findMentions('[To:42][rp aid=42 to=1-1][toall]'.repeat(10_000))).toEqual({ ids: ids(42), toAll: true });
  });

  it('DeepQuoteNestingDoesNotOverflowTheStack', () => {
    let body = repeat('[qt]', kHostile / 2) + '[To:1]';
    body += '[/qt]'.repeat(Math.floor(body.length / 4)) + '[To:2]';
    expect(mentioned(body)).toEqual(ids(2));
  });

  it('ManyUnclosedQuotesStayQuiet', () => {
    expect(mentioned(repeat('[qt][To:1]'))).toEqual([]);
  });

  it('HostileInputsFinishInLinearTime', () => {
    const bodies = [
      repeat('['), repeat('[rp '), repeat('[rp aid=1 to='), repeat('[To:'), repeat('[To:1'), repeat('[code]'), repeat('[/code]'), repeat('[/qt]'), repeat('[qtmeta aid=1 '),
      `[rp ${'a'.repeat(kHostile)}]`, `[rp aid=${'1'.repeat(kHostile)}]`, `[To:${'9'.repeat(kHostile)}]`, `[To:${'0'.repeat(kHostile)}1]`, `[code]${repeat('[To:1]')}`,
    ];
    const started = Date.now();
    for (const body of bodies) expect(mentioned(body).length).toBeLessThanOrEqual(1);
    expect(Date.now() - started).toBeLessThan(5000); // quadratic would take minutes
  });

  it('LongZeroPaddedIdIsStillParsed', () => {
    expect(mentioned(`[To:${'0'.repeat(1000)}5]`)).toEqual(ids(5));
  });
});

describe('what a message adds to the badges', () => {
  it('counts [To:me], [rp aid=me] and [toall], never for the author', () => {
    expect(mentionsAccount('[To:7] hi', 7, 3)).toBe(true);
    expect(mentionsAccount('[rp aid=7 to=1-2] ok', 7, 3)).toBe(true);
    expect(mentionsAccount('[toall] meeting', 7, 3)).toBe(true);
    expect(mentionsAccount('[To:8] hi', 7, 3)).toBe(false);
    expect(mentionsAccount('[qt][qtmeta aid=3][To:7] old[/qt] new', 7, 3)).toBe(false);
    expect(mentionsAccount('[code][To:7][/code]', 7, 3)).toBe(false);
    expect(mentionsAccount('[To:7] note to self', 7, 7)).toBe(false);
    expect(mentionsAccount('[toall] from me', 7, 7)).toBe(false);
  });

  it('a message from someone else is one unread, and one mention when it mentions me', () => {
    expect(countsOf('hello', 3, 7)).toEqual({ unread: 1, mention: 0 });
    expect(countsOf('[To:7] hello', 3, 7)).toEqual({ unread: 1, mention: 1 });
    expect(countsOf('[To:7] mine', 7, 7)).toEqual({ unread: 0, mention: 0 });
  });
});
