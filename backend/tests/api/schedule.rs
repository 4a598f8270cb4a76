//! The background sync's schedule: kept in the store, so that every instance on one database
//! shares the users instead of each walking them all.

use std::time::Duration;

use backend::domain::UserId;
use backend::store::{NewTokens, Store, TokenCipher, now};
use oura_simulator::SimulatorConfig;
use secrecy::SecretString;

use crate::helpers::*;

#[tokio::test]
async fn two_instances_claiming_at_once_share_the_due_users_and_claim_none_twice() {
    let app = spawn_app().await;
    // A second instance: its own connections to the same database.
    let other = Store::connect(&app.env["DATABASE_URL"], TokenCipher::derive(b"other"))
        .await
        .unwrap();
    let token = SecretString::from("not-used");
    let users: Vec<String> = (0..40).map(|n| format!("scheduled-{n:02}")).collect();
    for user in &users {
        let tokens = NewTokens {
            access_token: &token,
            refresh_token: None,
            access_expires_at: None,
            scopes: "daily",
        };
        app.store
            .save_sign_in(&UserId::new(user.as_str()), tokens)
            .await
            .unwrap();
    }
    let an_hour_on = now() + 3600;
    let claim_until_none_due = |store: Store| async move {
        let mut claimed = Vec::new();
        loop {
            let batch = store.claim_due_syncs(an_hour_on, 4).await.unwrap();
            if batch.is_empty() {
                return claimed;
            }
            claimed.extend(batch.into_iter().map(|u| u.as_str().to_owned()));
        }
    };

    let (by_a, by_b) = tokio::join!(
        claim_until_none_due(app.store.clone()),
        claim_until_none_due(other)
    );

    let mut claimed: Vec<String> = by_a.iter().chain(&by_b).cloned().collect();
    claimed.sort();
    assert_eq!(claimed, users, "every due user once, none twice");
    assert!(
        app.store
            .claim_due_syncs(an_hour_on, 100)
            .await
            .unwrap()
            .is_empty(),
        "nobody is due again before their next turn"
    );
    let next = app.store.next_sync_at(&UserId::new("scheduled-00")).await;
    assert_eq!(next.unwrap(), Some(an_hour_on));
}

#[tokio::test]
async fn a_user_whose_turn_has_come_is_synced_without_anyone_asking() {
    let app = spawn_app_with(
        &[
            ("SYNC_BACKFILL_DAYS", "3"),
            ("SYNC_INTERVAL_SECS", "2"),
            ("SYNC_ON_LOGIN", "false"),
        ],
        SimulatorConfig::default(),
    )
    .await;
    app.browser.sign_in().await;

    let mut status = app.browser.sync_status().await;
    for _ in 0..300 {
        if status.last_synced_at.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        status = app.browser.sync_status().await;
    }

    let last = status
        .last_synced_at
        .expect("a scheduled sync ran within 30 s");
    let next = status
        .next_sync_at
        .expect("the next turn is in the schedule");
    assert!(
        next > last && next - last <= time::Duration::seconds(4),
        "{status:?}"
    );
}
