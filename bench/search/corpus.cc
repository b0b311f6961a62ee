// Message bodies are built from three layers: a message shape (short reply, or greeting +
// sentences + closing, sometimes inside [info] or after [To:]/[rp]/[qt] notation), sentence
// templates, and slot vocabularies. Every choice is a Zipf or fixed-weight draw from one seeded
// generator, so the corpus is reproducible and has a realistic head and long tail of words.
#include "search/corpus.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace search_bench {
namespace {

// SplitMix64: tiny, fast and good enough to pick words.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n) for n < 2^32 (Lemire's multiply-shift, no division).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }

  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + below(static_cast<std::uint32_t>(hi - lo + 1));
  }

  // True with probability permille / 1000.
  bool chance(std::uint32_t permille) { return below(1000) < permille; }

 private:
  std::uint64_t state_;
};

// Walker's alias method: O(1) draws from a fixed discrete distribution, which keeps generation
// above a million messages per second whatever the vocabulary size.
class AliasTable {
 public:
  AliasTable() = default;

  explicit AliasTable(const std::vector<double>& weights)
      : probability_(weights.size()), alias_(weights.size()) {
    const std::size_t n = weights.size();
    double sum = 0;
    for (const double w : weights) {
      sum += w;
    }
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small;
    std::vector<std::uint32_t> large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / sum;
      (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const std::uint32_t s = small.back();
      small.pop_back();
      const std::uint32_t l = large.back();
      probability_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1.0 - scaled[s];
      if (scaled[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (const std::uint32_t i : small) {
      probability_[i] = 1.0;
    }
    for (const std::uint32_t i : large) {
      probability_[i] = 1.0;
    }
  }

  std::uint32_t draw(Random& random) const {
    const std::uint64_t r = random.next();
    const auto column =
        static_cast<std::uint32_t>(((r >> 32) * static_cast<std::uint64_t>(alias_.size())) >> 32);
    const double coin = static_cast<double>(r & 0xffffffffULL) * 0x1p-32;
    return coin < probability_[column] ? column : alias_[column];
  }

 private:
  std::vector<double> probability_;
  std::vector<std::uint32_t> alias_;
};

std::vector<double> zipf_weights(std::size_t n, double exponent) {
  std::vector<double> weights(n);
  for (std::size_t i = 0; i < n; ++i) {
    weights[i] = std::pow(static_cast<double>(i + 1), -exponent);
  }
  return weights;
}

// Words drawn Zipf-wise in the order listed: the first is the most frequent.
struct Vocabulary {
  std::vector<std::string> words;
  AliasTable table;
  // Kept only for the long-tail vocabularies.
  std::vector<std::uint64_t> counts;
  std::vector<std::int64_t> last_rooms;

  Vocabulary(std::vector<std::string> list, double exponent)
      : words(std::move(list)), table(zipf_weights(words.size(), exponent)) {}

  std::uint32_t draw(Random& random) const { return table.draw(random); }
};

template <std::size_t N>
std::vector<std::string> to_strings(const std::array<std::string_view, N>& list) {
  return {list.begin(), list.end()};
}

// Every prefix joined with every suffix, in an order shuffled by `seed`, so Zipf ranks do not
// follow the lists' order and rare and frequent names look alike.
template <std::size_t P, std::size_t S>
std::vector<std::string> combinations(const std::array<std::string_view, P>& prefixes,
                                      const std::array<std::string_view, S>& suffixes,
                                      std::uint64_t seed) {
  std::vector<std::string> out;
  out.reserve(P * S);
  for (const auto prefix : prefixes) {
    for (const auto suffix : suffixes) {
      out.push_back(std::string(prefix).append(suffix));
    }
  }
  Random random(seed);
  for (std::size_t i = out.size() - 1; i > 0; --i) {
    std::swap(out[i], out[random.below(static_cast<std::uint32_t>(i + 1))]);
  }
  return out;
}

// --- vocabularies (roughly most frequent first) ------------------------------------------------

constexpr std::array<std::string_view, 100> kSurnames = {
    "佐藤", "鈴木", "高橋",   "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
    "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林",   "斎藤", "清水",
    "山崎", "森",   "池田",   "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
    "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本",
    "斉藤", "福田", "太田",   "西村", "藤井", "金子", "岡本", "藤原", "中野", "三浦",
    "原田", "中川", "松田",   "竹内", "小野", "田村", "中山", "和田", "石田", "森田",
    "上田", "原",   "柴田",   "酒井", "工藤", "横山", "宮崎", "宮本", "内田", "高木",
    "安藤", "島田", "谷口",   "大野", "高田", "丸山", "今井", "河野", "藤本", "村田",
    "武田", "上野", "杉山",   "増田", "小山", "大塚", "平野", "菅原", "久保", "松井",
    "千葉", "岩崎", "桜井",   "木下", "野口", "松尾", "菊地", "野村", "新井", "渡部"};

constexpr std::array<std::string_view, 20> kGivenNames = {
    "太郎", "花子", "翔太", "美咲", "健", "陽子", "大輔", "由美", "直樹", "さくら",
    "拓也", "愛",   "誠",   "恵",   "亮", "彩",   "達也", "舞",   "和也", "優子"};

constexpr std::array<std::string_view, 20> kDocuments = {
    "資料",     "見積もり", "請求書", "議事録",     "仕様書", "提案書",  "契約書",
    "企画書",   "報告書",   "手順書", "マニュアル", "発注書", "納品書",  "設計書",
    "スライド", "見積書",   "稟議書", "日報",       "週報",   "経費精算"};

constexpr std::array<std::string_view, 15> kMeetings = {
    "会議",     "打ち合わせ", "定例", "ミーティング", "MTG",    "朝会",     "1on1", "レビュー会",
    "振り返り", "キックオフ", "商談", "面談",         "勉強会", "全体会議", "部会"};

constexpr std::array<std::string_view, 6> kDeadlines = {"納期",       "締め切り", "期限",
                                                        "リリース日", "提出期限", "支払期日"};

constexpr std::array<std::string_view, 25> kSystems = {"サーバー",
                                                       "デプロイ",
                                                       "本番環境",
                                                       "データベース",
                                                       "API",
                                                       "Kubernetes",
                                                       "ステージング環境",
                                                       "ロードバランサー",
                                                       "CI",
                                                       "AWS",
                                                       "Docker",
                                                       "ネットワーク",
                                                       "VPN",
                                                       "バッチ処理",
                                                       "監視",
                                                       "Redis",
                                                       "PostgreSQL",
                                                       "nginx",
                                                       "DNS",
                                                       "SSL証明書",
                                                       "ストレージ",
                                                       "キャッシュ",
                                                       "認証基盤",
                                                       "管理画面",
                                                       "Groonga"};

constexpr std::array<std::string_view, 12> kIssues = {
    "障害", "エラー",       "遅延",       "アラート",  "不具合",           "タイムアウト",
    "バグ", "メモリリーク", "接続エラー", "500エラー", "ディスク容量不足", "性能劣化"};

constexpr std::array<std::string_view, 15> kActions = {
    "確認", "対応", "修正", "共有", "調整",     "検討",   "連絡", "準備",
    "作成", "更新", "送付", "手配", "レビュー", "再起動", "承認"};

constexpr std::array<std::string_view, 11> kPlaces = {
    "会議室A", "大会議室", "第2会議室", "Zoom", "Google Meet", "Teams",
    "本社",    "大阪支社", "客先",      "自宅", "福岡オフィス"};

constexpr std::array<std::string_view, 24> kEnglishWords = {
    "LGTM",       "PR",       "merge", "hotfix", "release", "review", "ticket",     "staging",
    "production", "rollback", "Slack", "Zoom",   "GitHub",  "Jira",   "Confluence", "Figma",
    "Excel",      "PDF",      "ASAP",  "FYI",    "TODO",    "CI",     "Docker",     "README"};

constexpr std::array<std::string_view, 13> kEmojis = {"👍", "🙏", "😊",      "🎉", "💦", "✅", "🙇",
                                                      "😅", "🔥", "⚠️", "💡", "📝", "🚀"};

// Full-width Latin, as typed by Japanese input methods.
constexpr std::array<std::string_view, 10> kFullWidthWords = {
    "ＰＤＦ", "ＯＫ", "ＰＣ", "Ａ案", "Ｂ案", "ＦＡＸ", "ＴＥＬ", "ＵＲＬ", "ＣＳＶ", "ＩＤ"};

// Half-width katakana, as pasted from older systems.
constexpr std::array<std::string_view, 8> kHalfWidthWords = {"ｻｰﾊﾞｰ", "ﾃｽﾄ",   "ﾒｰﾙ",     "ﾃﾞｰﾀ",
                                                             "ｼｽﾃﾑ",  "ｱｶｳﾝﾄ", "ﾊﾟｽﾜｰﾄﾞ", "ｴﾗｰ"};

constexpr std::array<std::string_view, 5> kWeekdays = {"月", "火", "水", "木", "金"};

constexpr std::array<std::string_view, 4> kRelativeDays = {"明日", "明後日", "来週", "今週中"};

// Long tail 1: customer companies (60 × 40 = 2,400 names).
constexpr std::array<std::string_view, 60> kCompanyPrefixes = {
    "東洋", "日本",   "大和", "富士", "三光", "北斗", "青葉", "朝日", "中央",   "東邦",
    "東亜", "太平",   "光洋", "大成", "明和", "新栄", "共栄", "協和", "第一",   "日東",
    "東和", "昭栄",   "三和", "丸山", "横浜", "関西", "北陸", "九州", "四国",   "信州",
    "瀬戸", "琵琶湖", "若葉", "白鳥", "銀河", "飛鳥", "旭日", "双葉", "千代田", "港北",
    "湘南", "相模",   "武蔵", "常盤", "大洋", "晴海", "葵",   "椿",   "松風",   "鶴見",
    "亀山", "扇",     "菱川", "八雲", "弥生", "不二", "高砂", "紅葉", "稲穂",   "若松"};

constexpr std::array<std::string_view, 40> kCompanySuffixes = {"商事",         "物産",
                                                               "電機",         "工業",
                                                               "製作所",       "建設",
                                                               "運輸",         "食品",
                                                               "化学",         "薬品",
                                                               "不動産",       "システムズ",
                                                               "テクノロジー", "ソリューションズ",
                                                               "印刷",         "精工",
                                                               "電子",         "産業",
                                                               "興産",         "ホールディングス",
                                                               "通信",         "情報システム",
                                                               "物流",         "倉庫",
                                                               "設計",         "製薬",
                                                               "保険",         "証券",
                                                               "銀行",         "エンジニアリング",
                                                               "技研",         "製菓",
                                                               "酒造",         "繊維",
                                                               "金属",         "硝子",
                                                               "ゴム",         "塗料",
                                                               "電設",         "開発"};

// Long tail 2: project code names (50 × 40 = 2,000 names).
constexpr std::array<std::string_view, 50> kCodePrefixes = {
    "アルファ",     "ベータ",   "ガンマ",   "デルタ", "オメガ", "シリウス", "ベガ",     "アトラス",
    "フェニックス", "ペガサス", "オリオン", "ルミナ", "ノヴァ", "ソラ",     "ミライ",   "ハヤテ",
    "ツバサ",       "ヒカリ",   "サクラ",   "カエデ", "アカネ", "ミズキ",   "ツクシ",   "コハク",
    "ヒスイ",       "ルリ",     "スバル",   "カナタ", "アサヒ", "ユウヒ",   "アオイ",   "ミドリ",
    "ハルカ",       "イブキ",   "ホタル",   "ユキ",   "カゼ",   "シズク",   "ツムギ",   "ヒナタ",
    "コスモ",       "ステラ",   "テラ",     "アクア", "フレア", "レイ",     "ゼファー", "オーロラ",
    "プリズム",     "ネオン"};

constexpr std::array<std::string_view, 40> kCodeSuffixes = {
    "ゲート", "ポータル", "クラウド", "ハブ",     "リンク",   "ワークス", "ステーション",
    "ナビ",   "ボード",   "コネクト", "フロー",   "ベース",   "スクエア", "ブリッジ",
    "ライン", "ノート",   "パス",     "ドライブ", "キャンプ", "ラボ",     "フォース",
    "スター", "ウェーブ", "ビュー",   "チャート", "ログ",     "シグナル", "マップ",
    "デスク", "トーク",   "ルーム",   "ボックス", "コア",     "ネット",   "サイト",
    "プラン", "ガイド",   "パレット", "ポケット", "タワー"};

// --- templates ---------------------------------------------------------------------------------

enum class Slot {
  kPerson,
  kSurname,
  kDocument,
  kMeeting,
  kDeadline,
  kSystem,
  kIssue,
  kAction,
  kPlace,
  kCustomer,
  kProject,
  kEnglish,
  kEmoji,
  kFullWidth,
  kHalfWidth,
  kDate,
  kMonth,
  kTime,
  kWeekday,
  kCount,
  kYen,
  kPercent,
  kTicket,
};

constexpr std::array<std::pair<std::string_view, Slot>, 23> kSlotNames = {{
    {"person", Slot::kPerson},     {"surname", Slot::kSurname},     {"doc", Slot::kDocument},
    {"meeting", Slot::kMeeting},   {"deadline", Slot::kDeadline},   {"system", Slot::kSystem},
    {"issue", Slot::kIssue},       {"action", Slot::kAction},       {"place", Slot::kPlace},
    {"customer", Slot::kCustomer}, {"project", Slot::kProject},     {"english", Slot::kEnglish},
    {"emoji", Slot::kEmoji},       {"fullwidth", Slot::kFullWidth}, {"halfwidth", Slot::kHalfWidth},
    {"date", Slot::kDate},         {"month", Slot::kMonth},         {"time", Slot::kTime},
    {"weekday", Slot::kWeekday},   {"count", Slot::kCount},         {"yen", Slot::kYen},
    {"percent", Slot::kPercent},   {"ticket", Slot::kTicket},
}};

// Sentences of an ordinary message, most frequent first (drawn Zipf-wise).
constexpr std::array<std::string_view, 46> kSentences = {
    "{doc}の確認をお願いします。",
    "{person}、{doc}の件ありがとうございます。",
    "{date}の{meeting}は{time}からです。",
    "{system}の{issue}について調査中です。",
    "{customer}様から{doc}が届きました。",
    "{deadline}は{date}です。間に合いそうですか？",
    "{doc}を{action}しました。",
    "{date}の{meeting}ですが、{time}に変更になりました。",
    "{system}の{issue}が発生しています。",
    "{customer}様向けの{doc}を共有します。",
    "{person}に{action}していただきました。",
    "了解しました。",
    "{deadline}が{date}なので、{action}をお願いします。",
    "{project}の進捗を共有します。{count}件完了、残り{count}件です。",
    "本日{time}から{system}のメンテナンスを行います。",
    "{system}へのデプロイが完了しました。",
    "{person}、ありがとうございます！",
    "{english}お願いします {emoji}",
    "{meeting}の議事録をアップしました。",
    "{project}の{deadline}を{date}に設定しました。",
    "{person}、{date}{time}で{meeting}いかがでしょうか。",
    "{english}しました。",
    "見積もり金額は{yen}円（税抜）です。",
    "{customer}さんとの{meeting}、{person}も参加できますか？",
    "{place}を{time}から押さえています。",
    "{system}のログを確認したところ、{issue}が{count}件出ていました。",
    "請求書を{date}までに送付します。",
    "{month}の売上は前年比{percent}%でした。",
    "{ticket} の{issue}、{action}済みです。",
    "念のため{doc}も添付しておきます。",
    "{fullwidth}で大丈夫です。",
    "{weekday}曜日は{place}で{meeting}です。",
    "{doc}のレビューありがとうございました。",
    "{customer}様の{deadline}が{date}に前倒しになりました。",
    "{person}がお休みのため、{action}は{person}が担当します。",
    "{halfwidth}の件、確認します。",
    "{month}分の{doc}の提出をお願いします。",
    "リリースは{date}の{time}予定です。",
    "{system}のCPU使用率が{percent}%を超えています。",
    "{project}のキックオフは{date}です。",
    "{emoji}",
    "今日は{place}から参加します。",
    "{doc}の最新版はこちらです。https://docs.example.com/{ticket}",
    "{english} ({ticket})",
    "{project}のKubernetesクラスタを{action}しました。",
    "{customer}の{person}から{doc}について問い合わせがありました。",
};

// Whole messages of their own: replies and acknowledgements.
constexpr std::array<std::string_view, 16> kShortReplies = {
    "承知しました！",
    "ありがとうございます🙏",
    "了解です",
    "確認します。",
    "LGTM 👍",
    "OKです",
    "対応しました",
    "よろしくお願いします。",
    "はい、大丈夫です。",
    "{emoji}",
    "ありがとうございます！助かります。",
    "すみません、少し遅れます💦",
    "ｵｹです",
    "お疲れ様です！",
    "今向かってます",
    "{person}、了解です！",
};

constexpr std::array<std::string_view, 4> kGreetings = {
    "お疲れ様です。", "お疲れ様です、{surname}です。", "おはようございます。",
    "お世話になっております。"};

constexpr std::array<std::string_view, 5> kClosings = {
    "よろしくお願いします。", "よろしくお願いいたします。", "ご確認よろしくお願いします🙏",
    "以上です。", "取り急ぎご連絡まで。"};

constexpr std::array<std::string_view, 5> kInfoTitles = {
    "{meeting}のお知らせ", "{system}メンテナンスのお知らせ", "{project} 週次報告", "{month}の予定",
    "障害報告"};

// A template split into literal text and slots.
struct Piece {
  std::string_view literal;  // empty for a slot
  Slot slot = Slot::kPerson;
};

using Template = std::vector<Piece>;

Slot slot_named(std::string_view name) {
  for (const auto& [slot_name, slot] : kSlotNames) {
    if (slot_name == name) {
      return slot;
    }
  }
  throw std::logic_error("unknown corpus template slot {" + std::string(name) + "}");
}

Template parse_template(std::string_view text) {
  Template pieces;
  while (!text.empty()) {
    const std::size_t open = text.find('{');
    if (open != 0) {
      pieces.push_back({text.substr(0, open), Slot::kPerson});
      if (open == std::string_view::npos) {
        break;
      }
    }
    const std::size_t close = text.find('}', open);
    pieces.push_back({{}, slot_named(text.substr(open + 1, close - open - 1))});
    text.remove_prefix(close + 1);
  }
  return pieces;
}

template <std::size_t N>
std::vector<Template> parse_templates(const std::array<std::string_view, N>& texts) {
  std::vector<Template> out;
  out.reserve(N);
  for (const auto text : texts) {
    out.push_back(parse_template(text));
  }
  return out;
}

void append_int(std::string& out, std::int64_t value) {
  std::array<char, 24> digits{};
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  out.append(digits.data(), result.ptr);
}

// 1234567 -> "1,234,567", as amounts are written.
void append_grouped(std::string& out, std::int64_t value) {
  std::array<char, 24> digits{};
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  const auto length = static_cast<std::size_t>(result.ptr - digits.data());
  for (std::size_t i = 0; i < length; ++i) {
    if (i > 0 && (length - i) % 3 == 0) {
      out.push_back(',');
    }
    out.push_back(digits[i]);
  }
}

// 2024-01-01T00:00:00Z, core::kSnowflakeEpochUnixMs.
constexpr std::int64_t kSnowflakeEpochMs = 1'704'067'200'000;

// Number of sentences in an ordinary message: mostly 1-3, a few long ones.
constexpr std::array<double, 30> kSentenceCountWeights = {
    40,  28,  14,  7,   4,   1.2, 1,   0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.3, 0.3,
    0.2, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};

}  // namespace

struct Corpus::Impl {
  CorpusOptions options;
  Random random;
  std::int64_t generated = 0;
  std::int64_t last_id = 0;
  std::int64_t current_room = 0;

  // Rooms: Zipf-sized; room_by_rank[0] is the busiest.
  std::vector<std::int64_t> room_by_rank;
  AliasTable room_table;

  Vocabulary surnames{to_strings(kSurnames), 0.9};
  Vocabulary given_names{to_strings(kGivenNames), 0.5};
  Vocabulary documents{to_strings(kDocuments), 1.0};
  Vocabulary meetings{to_strings(kMeetings), 1.0};
  Vocabulary deadlines{to_strings(kDeadlines), 1.0};
  Vocabulary systems{to_strings(kSystems), 1.0};
  Vocabulary issues{to_strings(kIssues), 1.0};
  Vocabulary actions{to_strings(kActions), 1.0};
  Vocabulary places{to_strings(kPlaces), 1.0};
  Vocabulary english{to_strings(kEnglishWords), 1.0};
  Vocabulary emoji{to_strings(kEmojis), 1.0};
  Vocabulary full_width{to_strings(kFullWidthWords), 1.0};
  Vocabulary half_width{to_strings(kHalfWidthWords), 1.0};
  Vocabulary customers;
  Vocabulary projects;

  std::vector<Template> sentences = parse_templates(kSentences);
  std::vector<Template> short_replies = parse_templates(kShortReplies);
  std::vector<Template> greetings = parse_templates(kGreetings);
  std::vector<Template> closings = parse_templates(kClosings);
  std::vector<Template> info_titles = parse_templates(kInfoTitles);
  AliasTable sentence_table{zipf_weights(kSentences.size(), 0.8)};
  AliasTable short_reply_table{zipf_weights(kShortReplies.size(), 1.0)};
  AliasTable sentence_count_table{{kSentenceCountWeights.begin(), kSentenceCountWeights.end()}};

  explicit Impl(const CorpusOptions& o)
      : options(o),
        random(o.seed),
        customers(combinations(kCompanyPrefixes, kCompanySuffixes, o.seed ^ 1), 1.1),
        projects(combinations(kCodePrefixes, kCodeSuffixes, o.seed ^ 2), 1.1) {
    if (o.rooms < 1 || o.accounts < 2 || o.messages < 1) {
      throw std::invalid_argument("corpus needs ≥ 1 room, ≥ 2 accounts and ≥ 1 message");
    }
    room_by_rank.resize(static_cast<std::size_t>(o.rooms));
    for (std::size_t i = 0; i < room_by_rank.size(); ++i) {
      room_by_rank[i] = static_cast<std::int64_t>(i) + 1;
    }
    Random shuffle(o.seed ^ 3);
    for (std::size_t i = room_by_rank.size() - 1; i > 0; --i) {
      std::swap(room_by_rank[i], room_by_rank[shuffle.below(static_cast<std::uint32_t>(i + 1))]);
    }
    // Exponent 0.8 over 5,000 rooms: the busiest holds ~4 % of all messages, the quietest ~0.005 %.
    room_table = AliasTable(zipf_weights(room_by_rank.size(), 0.8));
    reset_counts();
  }

  void reset_counts() {
    for (Vocabulary* vocabulary : {&customers, &projects}) {
      vocabulary->counts.assign(vocabulary->words.size(), 0);
      vocabulary->last_rooms.assign(vocabulary->words.size(), 0);
    }
  }

  void rewind() {
    random = Random(options.seed);
    generated = 0;
    last_id = 0;
    reset_counts();
  }

  void append_word(std::string& out, const Vocabulary& vocabulary) {
    out += vocabulary.words[vocabulary.draw(random)];
  }

  void append_counted(std::string& out, Vocabulary& vocabulary) {
    const std::uint32_t index = vocabulary.draw(random);
    ++vocabulary.counts[index];
    vocabulary.last_rooms[index] = current_room;
    out += vocabulary.words[index];
  }

  void append_date(std::string& out) {
    const std::uint32_t form = random.below(10);
    if (form < 5) {  // 3月12日
      append_int(out, random.between(1, 12));
      out += "月";
      append_int(out, random.between(1, 28));
      out += "日";
    } else if (form < 7) {  // 3/12
      append_int(out, random.between(1, 12));
      out += "/";
      append_int(out, random.between(1, 28));
    } else if (form < 9) {  // 明日, 来週…
      out += kRelativeDays[random.below(kRelativeDays.size())];
    } else {  // 来週月曜
      out += "来週";
      out += kWeekdays[random.below(kWeekdays.size())];
      out += "曜";
    }
  }

  void append_time(std::string& out) {
    const std::int64_t hour = random.between(9, 19);
    const std::uint32_t form = random.below(4);
    append_int(out, hour);
    if (form < 2) {  // 10時
      out += "時";
    } else if (form == 2) {  // 15時半
      out += "時半";
    } else {  // 14:30
      out += random.chance(500) ? ":00" : ":30";
    }
  }

  void append_slot(std::string& out, Slot slot) {
    switch (slot) {
      case Slot::kPerson:
        append_word(out, surnames);
        out += "さん";
        break;
      case Slot::kSurname:
        append_word(out, surnames);
        break;
      case Slot::kDocument:
        append_word(out, documents);
        break;
      case Slot::kMeeting:
        append_word(out, meetings);
        break;
      case Slot::kDeadline:
        append_word(out, deadlines);
        break;
      case Slot::kSystem:
        append_word(out, systems);
        break;
      case Slot::kIssue:
        append_word(out, issues);
        break;
      case Slot::kAction:
        append_word(out, actions);
        break;
      case Slot::kPlace:
        append_word(out, places);
        break;
      case Slot::kCustomer:
        append_counted(out, customers);
        break;
      case Slot::kProject:
        append_counted(out, projects);
        break;
      case Slot::kEnglish:
        append_word(out, english);
        break;
      case Slot::kEmoji:
        append_word(out, emoji);
        break;
      case Slot::kFullWidth:
        append_word(out, full_width);
        break;
      case Slot::kHalfWidth:
        append_word(out, half_width);
        break;
      case Slot::kDate:
        append_date(out);
        break;
      case Slot::kMonth:
        if (random.chance(300)) {
          out += "2024年";
        }
        append_int(out, random.between(1, 12));
        out += "月";
        break;
      case Slot::kTime:
        append_time(out);
        break;
      case Slot::kWeekday:
        out += kWeekdays[random.below(kWeekdays.size())];
        break;
      case Slot::kCount:
        append_int(out, random.between(1, 30));
        break;
      case Slot::kYen:
        append_grouped(out, random.between(1, 999) * 1000);
        break;
      case Slot::kPercent:
        append_int(out, random.between(1, 150));
        break;
      case Slot::kTicket:
        out += "KW-";
        append_int(out, random.between(1000, 9999));
        break;
    }
  }

  void append_template(std::string& out, const Template& pieces) {
    for (const Piece& piece : pieces) {
      if (piece.literal.empty()) {
        append_slot(out, piece.slot);
      } else {
        out += piece.literal;
      }
    }
  }

  // A member of room `rank`: bigger rooms have more members; a few members write most.
  std::int64_t member_of(std::size_t rank, std::int64_t room) {
    const auto members = static_cast<std::uint32_t>(
        std::clamp(200.0 / std::sqrt(static_cast<double>(rank) + 1.0), 2.0, 200.0));
    const std::uint32_t pick = std::min(random.below(members), random.below(members));
    const auto base = static_cast<std::uint64_t>(room) * 7919U;
    return static_cast<std::int64_t>((base + pick) % static_cast<std::uint64_t>(options.accounts)) +
           1;
  }

  void append_mention(std::string& out, std::size_t rank, std::int64_t room) {
    out += "[To:";
    append_int(out, member_of(rank, room));
    out += "]";
    append_word(out, surnames);
    out += " ";
    append_word(out, given_names);
    out += "さん\n";
  }

  void append_reply_tag(std::string& out, std::size_t rank, std::int64_t room) {
    out += "[rp aid=";
    append_int(out, member_of(rank, room));
    out += " to=";
    append_int(out, room);
    out += "-";
    append_int(out, last_id);
    out += "]";
    append_word(out, surnames);
    out += "さん\n";
  }

  void append_quote(std::string& out, std::size_t rank, std::int64_t room, std::int64_t send_time) {
    out += "[qt][qtmeta aid=";
    append_int(out, member_of(rank, room));
    out += " time=";
    append_int(out, send_time - random.between(60, 86'400));
    out += "]";
    append_template(out, sentences[sentence_table.draw(random)]);
    out += "[/qt]";
  }

  void append_sentences(std::string& out, std::uint32_t count, bool one_per_line) {
    for (std::uint32_t i = 0; i < count; ++i) {
      if (i > 0 && (one_per_line || random.chance(300))) {
        out += "\n";
      }
      append_template(out, sentences[sentence_table.draw(random)]);
    }
  }

  // An ordinary message: optional notation, greeting, sentences (sometimes inside [info]),
  // closing.
  void append_ordinary(std::string& out, std::size_t rank, std::int64_t room,
                       std::int64_t send_time) {
    const std::uint32_t notation = random.below(1000);
    if (notation < 120) {
      append_mention(out, rank, room);
      if (notation < 20) {
        append_mention(out, rank, room);
      }
    } else if (notation < 150 && last_id != 0) {
      append_reply_tag(out, rank, room);
    } else if (notation < 190) {
      append_quote(out, rank, room, send_time);
    }
    if (random.chance(300)) {
      append_template(out, greetings[random.below(static_cast<std::uint32_t>(greetings.size()))]);
      out += "\n";
    }
    const std::uint32_t count = sentence_count_table.draw(random) + 1;
    if (random.chance(30)) {
      out += "[info][title]";
      append_template(out,
                      info_titles[random.below(static_cast<std::uint32_t>(info_titles.size()))]);
      out += "[/title]";
      append_sentences(out, count + 2, true);
      out += "[/info]";
    } else {
      append_sentences(out, count, false);
    }
    if (random.chance(300)) {
      out += "\n";
      append_template(out, closings[random.below(static_cast<std::uint32_t>(closings.size()))]);
    }
  }

  bool next(CorpusMessage& out) {
    if (generated >= options.messages) {
      return false;
    }
    const std::int64_t i = generated++;
    // Evenly over a year in milliseconds; a Snowflake-shaped id (ms << 22 | sequence) keeps
    // ids unique and in send order, like the server's.
    constexpr std::int64_t kYearMs = 365LL * 86'400'000LL;
    const std::int64_t offset_ms = i * kYearMs / options.messages;
    const std::int64_t send_ms = options.first_send_time * 1000 + offset_ms;
    out.id = ((send_ms - kSnowflakeEpochMs) << 22) + i % 4095 + 1;
    out.send_time = send_ms / 1000;
    const std::size_t rank = room_table.draw(random);
    out.room = room_by_rank[rank];
    current_room = out.room;
    out.sender = member_of(rank, out.room);
    out.body.clear();
    if (random.chance(150)) {
      append_template(out.body, short_replies[short_reply_table.draw(random)]);
    } else {
      append_ordinary(out.body, rank, out.room, out.send_time);
    }
    last_id = out.id;
    return true;
  }
};

Corpus::Corpus(const CorpusOptions& options) : impl_(std::make_unique<Impl>(options)) {}

Corpus::~Corpus() = default;

bool Corpus::next(CorpusMessage& out) { return impl_->next(out); }

void Corpus::rewind() { impl_->rewind(); }

const std::vector<std::int64_t>& Corpus::rooms_by_size() const { return impl_->room_by_rank; }

std::vector<WordCount> Corpus::tail_word_counts() const {
  std::vector<WordCount> out;
  for (const Vocabulary* vocabulary : {&impl_->customers, &impl_->projects}) {
    for (std::size_t i = 0; i < vocabulary->words.size(); ++i) {
      out.push_back({vocabulary->words[i], vocabulary->counts[i], vocabulary->last_rooms[i]});
    }
  }
  return out;
}

std::vector<std::string> Corpus::frequent_words() {
  return {"お願いします", "打ち合わせ",   "見積もり",   "請求書",       "議事録",
          "サーバー",     "デプロイ",     "本番環境",   "ミーティング", "お疲れ様です",
          "仕様書",       "データベース", "Kubernetes", "締め切り",     "ありがとうございます",
          "ステージング"};
}

std::vector<std::string> Corpus::two_character_words() {
  return {"会議", "資料", "納期", "確認", "対応", "共有", "予定", "修正",
          "連絡", "障害", "定例", "期限", "本番", "田中", "佐藤"};
}

std::size_t utf8_length(std::string_view text) {
  std::size_t length = 0;
  for (const char c : text) {
    // Count every byte that does not continue a sequence (10xxxxxx).
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
      ++length;
    }
  }
  return length;
}

}  // namespace search_bench
