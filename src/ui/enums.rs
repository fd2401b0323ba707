//! The enums declared with `export enum` in `ui/*.slint` are generated as Rust enums
//! (`crate::ui::DayHalf` …) with `Copy`, `PartialEq`, `Default` and `Debug`. The pure
//! models that hold them compare with `Eq`, which Slint does not derive: it is added
//! here, for every enum a model keeps.

use super::{
    AgendaPhase, BannerKind, BookingMode, CheckInOffer, CheckState, DayHalf, DayOfWeek,
    SummaryLabel, WizardStep,
};

impl Eq for AgendaPhase {}
impl Eq for BannerKind {}
impl Eq for BookingMode {}
impl Eq for CheckInOffer {}
impl Eq for CheckState {}
impl Eq for DayHalf {}
impl Eq for DayOfWeek {}
impl Eq for SummaryLabel {}
impl Eq for WizardStep {}
