//! The options a kind offers in the builder's field form, as data: the
//! builder draws and reads them, and finds the input an engine error is
//! about by the option's key.

/// One option of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The key in the schema file (`minLength`).
    pub key: &'static str,
    /// The form field's name (`min_length`); its input's id is `field-<name>`.
    pub field: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub input: Input,
}

/// How an option is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A whole number of 0 or more.
    Count,
    /// Any number.
    Number,
    /// A regular expression.
    Pattern,
    /// A list, one item per line.
    Lines,
    /// Another text field of the same type.
    TextField,
}

impl Setting {
    /// Counts and numbers sit two to a row.
    pub fn is_narrow(&self) -> bool {
        matches!(self.input, Input::Count | Input::Number)
    }
}

pub const MIN_LENGTH: Setting = Setting {
    key: "minLength",
    field: "min_length",
    label: "Minimum length",
    hint: "",
    input: Input::Count,
};

pub const MAX_LENGTH: Setting = Setting {
    key: "maxLength",
    field: "max_length",
    label: "Maximum length",
    hint: "",
    input: Input::Count,
};

pub const REGEX: Setting = Setting {
    key: "regex",
    field: "regex",
    label: "Pattern",
    hint: "A regular expression values must match, e.g. ^[A-Z]{3}$.",
    input: Input::Pattern,
};

pub const MIN: Setting = Setting {
    key: "min",
    field: "min",
    label: "Minimum",
    hint: "",
    input: Input::Number,
};

pub const MAX: Setting = Setting {
    key: "max",
    field: "max",
    label: "Maximum",
    hint: "",
    input: Input::Number,
};

/// Lengths and a pattern: the settings of text kinds.
pub const TEXT: &[Setting] = &[MIN_LENGTH, MAX_LENGTH, REGEX];

/// Bounds: the settings of number kinds.
pub const NUMBER: &[Setting] = &[MIN, MAX];
