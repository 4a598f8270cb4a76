//! A change Oura announced by webhook, applied the way a sync stores a page: the document it
//! names is fetched with its owner's token and stored through the same typed, tolerant
//! ingest (or set aside), or removed when Oura deleted it.

use super::ingest::{self, Ingest, Ingested, Records};
use super::{SyncError, Syncer};
use crate::oura::documents::{
    DailyActivity, DailyCardiovascularAge, DailyReadiness, DailyResilience, DailySleep, DailySpo2,
    DailyStress, EnhancedTag, RestModePeriod, RingConfiguration, Session, SleepPeriod, SleepTime,
    Vo2Max, Workout,
};
use crate::oura::{Collection, OuraError, TokenError};
use crate::store::WithRaw;
use crate::webhooks::{Change, ChangeKind};

/// What applying a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The document was fetched and stored.
    Stored,
    /// The document was fetched and set aside as unusable.
    SetAside,
    /// The document was removed (or was not there).
    Removed,
    /// Nothing to do: the person is not (or no longer) a user here, Oura no longer has the
    /// document, or the collection has no documents to fetch one by one.
    Ignored,
}

impl Syncer {
    /// Applies `change` for its user. An unknown user is ignored (and logged): Oura may
    /// deliver for people who left.
    pub async fn apply_change(&self, change: &Change) -> Result<Applied, SyncError> {
        if self.store.user(&change.user_id).await?.is_none() {
            tracing::info!(user_id = %change.user_id, "a webhook event for no user here: ignored");
            return Ok(Applied::Ignored);
        }
        if change.kind == ChangeKind::Delete {
            self.store
                .remove_document(&change.user_id, change.collection, &change.object_id)
                .await?;
            return Ok(Applied::Removed);
        }
        match change.collection {
            Collection::Sleep => self.fetch_one::<DailySleep>(change).await,
            Collection::Readiness => self.fetch_one::<DailyReadiness>(change).await,
            Collection::Activity => self.fetch_one::<DailyActivity>(change).await,
            Collection::SleepPeriods => self.fetch_one::<SleepPeriod>(change).await,
            Collection::Stress => self.fetch_one::<DailyStress>(change).await,
            Collection::Spo2 => self.fetch_one::<DailySpo2>(change).await,
            Collection::Resilience => self.fetch_one::<DailyResilience>(change).await,
            Collection::Vo2Max => self.fetch_one::<Vo2Max>(change).await,
            Collection::CardiovascularAge => self.fetch_one::<DailyCardiovascularAge>(change).await,
            Collection::SleepTime => self.fetch_one::<SleepTime>(change).await,
            Collection::Workouts => self.fetch_one::<Workout>(change).await,
            Collection::Sessions => self.fetch_one::<Session>(change).await,
            Collection::Tags => self.fetch_one::<EnhancedTag>(change).await,
            Collection::RestMode => self.fetch_one::<RestModePeriod>(change).await,
            Collection::Rings => self.fetch_one::<RingConfiguration>(change).await,
            Collection::HeartRate | Collection::Battery => Ok(Applied::Ignored),
        }
    }

    async fn fetch_one<T: Ingest>(&self, change: &Change) -> Result<Applied, SyncError>
    where
        Records: From<Vec<WithRaw<T::Record>>>,
    {
        self.budget.wait_turn(&change.user_id).await?;
        let fetched = self
            .tokens
            .call(&change.user_id, |token| {
                let api = self.api.clone();
                let id = change.object_id.clone();
                async move { api.document::<T>(&token, &id).await }
            })
            .await;
        let document = match fetched {
            Ok(document) => document,
            // Gone again by the time we asked (a later delete will say so), or never there.
            Err(TokenError::Oura(OuraError::NotFound)) => return Ok(Applied::Ignored),
            Err(error) => return Err(error.into()),
        };
        let Ingested {
            records,
            unreadable,
        } = ingest::page(vec![document]);
        if !unreadable.is_empty() {
            self.store
                .quarantine(&change.user_id, change.collection.name(), &unreadable)
                .await?;
            return Ok(Applied::SetAside);
        }
        self.save(&change.user_id, change.collection, records)
            .await?;
        Ok(Applied::Stored)
    }
}
