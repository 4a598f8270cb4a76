use serde::{Deserialize, Serialize};

/// The signed-in person's Oura profile. Every value but `id` may be missing: Oura leaves a
/// field empty when the person never entered it or did not grant the scope that covers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// Oura's stable user id.
    pub id: String,
    /// Needs the `email` scope.
    pub email: Option<String>,
    /// Age in whole years.
    pub age_years: Option<u32>,
    /// Body weight in kilograms.
    pub weight_kg: Option<f64>,
    /// Height in metres.
    pub height_m: Option<f64>,
    /// As Oura reports it, for example `"female"` or `"male"`.
    pub biological_sex: Option<String>,
}
