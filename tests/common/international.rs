//! Meeting subjects and organizer names as people around the world write them: each
//! script the console must show, mixed scripts, emoji with skin tones and ZWJ sequences,
//! and combining marks. Shared by the font tests and the end-to-end screenshot test.

/// (subject, organizer) pairs.
pub const MEETINGS: &[(&str, &str)] = &[
    ("会議: 四半期レビュー 🎉", "李 明"),
    ("회의실 예약 테스트 ✅ 👍", "김민준"),
    ("季度预算评审", "王芳"),
    ("產品設計討論會", "陳志明"),
    ("اجتماع الميزانية الربع سنوية", "محمد العلي"),
    ("סקירת עיצוב רבעונית", "דנה כהן"),
    ("ประชุมทีมประจำสัปดาห์", "สมชาย ใจดี"),
    ("टीम बैठक: बजट समीक्षा", "प्रिया शर्मा"),
    ("Offsite 🇸🇪 👩🏽‍💻 👨‍👩‍👧‍👦 👋🏿 ❤️ 🥳", "Zoë Ångström"),
    (
        "Réunion d'équipe – Ελληνικά, Русский, Tiếng Việt",
        "Nguyễn Văn Anh",
    ),
    ("Re\u{301}union d'e\u{301}quipe", "Jose\u{301} Nun\u{303}ez"),
    ("Q3 review · Ürün planı · 製品計画 · مراجعة", "Ayşe Yılmaz"),
    ("குழு கூட்டம்", "முருகன்"),
    ("দলের সভা", "অমিত রায়"),
    ("შეხვედრა", "ნინო ბერიძე"),
];

/// A character that no font has (the last private-use code point of plane 16).
pub const NO_FONT_HAS_IT: char = '\u{10FFFD}';
