#![doc = include_str!("../README.md")]

mod admin;
mod bulk_api;
mod config;
mod faults;
mod limits;
mod rest;
mod server;
mod soap;
mod state;
mod util;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};
use time::OffsetDateTime;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use bulk_api::BulkExportInfo;
pub use config::{
    ApiLimits, Config, Credentials, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET,
    DEFAULT_ENCRYPTION_KEY, DEFAULT_USER_ID, Limits,
};
pub use faults::{Fault, FaultError};
pub use limits::{ApiStats, Stats};
pub use state::SentSample;
pub use state::{
    Activity, Api, Asset, AssetKey, AssetKind, AssetStatus, BulkSettings, Channel, Cost,
    CustomObject, Folder, FolderKind, FolderRef, LEAD_FIELDS, Lead, MObject, NameScope, Program,
    ProgressionStatus, ScheduleRecord, SmartCampaign, StaticList, Tag, TagType, TriggerRecord,
    VersionFilter,
};
// Area A (Lead Database: leads, activities, lists, campaigns, usage).
pub use state::{CustomActivityType, CustomAttribute, CustomLeadField, CustomTypeVersion};
pub use util::{asset_datetime, parse_datetime, rfc3339};

use server::Shared;

/// Errors starting the emulator.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// The listening socket could not be opened.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// Address asked for.
        addr: SocketAddr,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The bound address could not be read.
    #[error("cannot read the bound address: {0}")]
    LocalAddr(#[source] std::io::Error),
}

/// Errors of the seeding helpers of [`Emulator`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SeedError {
    /// A program with this name exists already.
    #[error("a program named {0:?} exists already")]
    DuplicateName(String),
    /// The folder does not exist or cannot hold programs.
    #[error("folder {0} does not exist or cannot hold programs")]
    BadFolder(i32),
    /// Unknown program type or channel.
    #[error("invalid program type {program_type:?} or channel {channel:?}")]
    BadTypeOrChannel {
        /// Type given.
        program_type: String,
        /// Channel given.
        channel: String,
    },
    /// Unknown program.
    #[error("program {0} not found")]
    NoProgram(i32),
}

/// A program to seed with [`Emulator::add_program`].
#[derive(Clone, Debug)]
pub struct NewProgram {
    /// Unique name.
    pub name: String,
    /// Program type (`Default`, `Event`, `Event with Webinar`, `Engagement`, `Email`).
    pub program_type: String,
    /// Channel name applicable to the type.
    pub channel: String,
    /// Parent folder id (a Marketing Activities folder).
    pub folder_id: i32,
    /// Description.
    pub description: String,
    /// Tags.
    pub tags: Vec<Tag>,
}

impl NewProgram {
    /// A `Default` program in the `Content` channel under folder 1 (Marketing Activities).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            program_type: "Default".into(),
            channel: "Content".into(),
            folder_id: 1,
            description: String::new(),
            tags: Vec::new(),
        }
    }
}

/// Builder of an [`Emulator`].
#[derive(Debug, Default)]
pub struct EmulatorBuilder {
    config: Config,
    addr: Option<SocketAddr>,
    start_at: Option<OffsetDateTime>,
}

impl EmulatorBuilder {
    /// Replaces the whole configuration.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Accepted credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.config.credentials = credentials;
        self
    }

    /// Limits enforced.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// Loads (default) or leaves out the demo data set.
    pub fn demo_data(mut self, on: bool) -> Self {
        self.config.demo_data = on;
        self
    }

    /// Lifetime of new access tokens (default 3600 s).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.token_lifetime = lifetime;
        self
    }

    /// Accepted distance between a SOAP `requestTimestamp` and the emulator clock (default 15 min).
    pub fn signature_window(mut self, window: Duration) -> Self {
        self.config.signature_window = window;
        self
    }

    /// Sets the emulator clock so that it reads `t` at start (it then runs on with the
    /// wall clock; [`Emulator::advance`] moves it further). Default: the wall clock.
    pub fn start_at(mut self, t: OffsetDateTime) -> Self {
        self.start_at = Some(t);
        self
    }

    /// Address to listen on (default `127.0.0.1:0`, an ephemeral port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = Some(addr);
        self
    }

    /// Starts the server on the current tokio runtime.
    pub async fn start(self) -> Result<Emulator, EmulatorError> {
        let addr = self
            .addr
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        let local = listener.local_addr().map_err(EmulatorError::LocalAddr)?;
        let mut state = state::State::new(self.config);
        if let Some(t) = self.start_at {
            state.clock_offset = t - OffsetDateTime::now_utc();
        }
        let shared = Arc::new(Shared::new(state));
        let (tx, rx) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, shared.clone(), rx));
        tracing::info!(%local, "marketo emulator listening");
        Ok(Emulator {
            addr: local,
            shared,
            shutdown: tx,
            task: Some(task),
        })
    }
}

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }
}

impl Emulator {
    /// Starts an emulator with the default configuration on 127.0.0.1 and an ephemeral port.
    pub async fn start() -> Result<Emulator, EmulatorError> {
        Self::builder().start().await
    }

    /// A builder for a custom configuration.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// REST base URL, e.g. `http://127.0.0.1:41234` (the identity endpoint is
    /// `{base}/identity/oauth/token`, the API under `{base}/rest/...`).
    pub fn rest_base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// SOAP endpoint of the newest API version, e.g. `http://127.0.0.1:41234/soap/mktows/2_9`.
    pub fn soap_endpoint(&self) -> String {
        format!("http://{}/soap/mktows/{}", self.addr, soap::Version::LATEST)
    }

    /// SOAP endpoint of one API version, `"2_0"` to `"2_9"` (e.g.
    /// `http://127.0.0.1:41234/soap/mktows/2_2`); `None` for any other version.
    /// Versions up to 2_3 write activity records with `id` only, newer ones add `marketoGUID`.
    pub fn soap_endpoint_for(&self, version: &str) -> Option<String> {
        soap::Version::parse(version).map(|v| format!("http://{}/soap/mktows/{v}", self.addr))
    }

    /// URL of the WSDL (`{endpoint}?WSDL`).
    pub fn wsdl_url(&self) -> String {
        format!("{}?WSDL", self.soap_endpoint())
    }

    /// The credentials the emulator accepts.
    pub fn credentials(&self) -> Credentials {
        self.shared.lock().config.credentials.clone()
    }

    /// The emulator clock (wall clock plus everything passed to [`advance`](Self::advance)).
    pub fn now(&self) -> OffsetDateTime {
        self.shared.lock().now()
    }

    /// Moves the emulator clock forward: tokens expire, rate windows and daily quotas roll over.
    pub fn advance(&self, by: Duration) {
        let by = time::Duration::try_from(by).unwrap_or(time::Duration::MAX);
        let mut st = self.shared.lock();
        st.clock_offset = st.clock_offset.saturating_add(by);
    }

    // ----- faults -----

    /// Queues a fault for the next `times` calls it applies to (see [`Fault`]),
    /// after checking it with [`Fault::check`].
    ///
    /// # Errors
    ///
    /// A [`FaultError`] if the fault names a REST or SOAP code the emulator does
    /// not know, or an HTTP status that is not an error status; nothing is queued.
    pub fn try_inject(&self, fault: Fault, times: u32) -> Result<(), FaultError> {
        let armed = fault.arm()?;
        self.shared.lock().faults.push(armed, times);
        Ok(())
    }

    /// Queues a fault for the next `times` calls it applies to (see [`Fault`]):
    /// the form for tests, which fail loudly on a fault the emulator cannot produce.
    /// [`try_inject`](Self::try_inject) returns that error instead.
    ///
    /// # Panics
    ///
    /// If the fault names a REST or SOAP code the emulator does not know, or an
    /// HTTP status that is not an error status (the [`FaultError`] is the message):
    /// such a fault is never replaced by another one.
    pub fn inject(&self, fault: Fault, times: u32) {
        if let Err(e) = self.try_inject(fault, times) {
            panic!("Emulator::inject: {e}");
        }
    }

    /// Makes every REST (identity excluded) and SOAP call take at least
    /// `latency` from its arrival to its answer, its processing included
    /// (the service time of a remote server); `None` removes it.
    pub fn set_latency(&self, latency: Option<Duration>) {
        self.shared.lock().faults.latency = latency;
    }

    /// Makes every token issued so far expired now (next use: 602).
    pub fn expire_tokens(&self) {
        let mut st = self.shared.lock();
        let now = st.now() - time::Duration::seconds(1);
        for t in st.tokens.values_mut() {
            t.expires_at = now;
        }
        st.current_token = None;
    }

    /// Removes all pending faults and the latency.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Number of injected fault occurrences not yet consumed.
    pub fn pending_faults(&self) -> u32 {
        self.shared.lock().faults.pending()
    }

    /// Replaces the limits while running.
    pub fn set_limits(&self, limits: Limits) {
        self.shared.lock().config.limits = limits;
    }

    // ----- counters -----

    /// A snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.shared.lock().stats_snapshot()
    }

    /// Resets all counters (not the limits' own windows).
    pub fn reset_stats(&self) {
        self.shared.lock().reset_stats();
    }

    /// Resets all counters and the rate limits' sliding windows, so that the
    /// next client starts with a fresh window (calls in flight and the daily
    /// quota are kept). Also `POST /__emulator/reset`.
    pub fn reset_stats_and_windows(&self) {
        self.shared.lock().reset_stats_and_windows();
    }

    // ----- seeding -----

    /// Adds a program (and no campaigns); returns its id.
    pub fn add_program(&self, p: NewProgram) -> Result<i32, SeedError> {
        let mut st = self.shared.lock();
        seed_program(&mut st, p)
    }

    /// Adds `n` `Default`/`Content` programs named `Seeded Program {i}` (numbered after the
    /// ones seeded before) under folder 1; returns their ids. Fast enough for tens of thousands.
    pub fn add_programs(&self, n: usize) -> Vec<i32> {
        let mut st = self.shared.lock();
        let mut ids = Vec::with_capacity(n);
        let mut i = 0usize;
        while ids.len() < n {
            i += 1;
            let name = format!("Seeded Program {i}");
            if st.program_names.contains_key(&name) {
                continue;
            }
            if let Ok(id) = seed_program(&mut st, NewProgram::new(name)) {
                ids.push(id);
            }
        }
        ids
    }

    /// Adds a smart campaign to a program; returns its id.
    pub fn add_campaign(
        &self,
        program_id: i32,
        name: &str,
        campaign_type: &str,
        requestable: bool,
    ) -> Result<i32, SeedError> {
        let mut st = self.shared.lock();
        if !st.programs.contains_key(&program_id) {
            return Err(SeedError::NoProgram(program_id));
        }
        let now = st.now();
        let id = st.next_campaign_id;
        st.next_campaign_id += 1;
        st.campaigns.insert(
            id,
            SmartCampaign {
                id,
                name: name.to_owned(),
                description: String::new(),
                campaign_type: campaign_type.to_owned(),
                is_active: requestable,
                is_requestable: requestable,
                program_id: Some(program_id),
                folder: FolderRef {
                    id: program_id,
                    kind: FolderKind::Program,
                },
                status: if requestable { "Active" } else { "Inactive" }.to_owned(),
                created_at: now,
                updated_at: now,
            },
        );
        Ok(id)
    }

    /// Adds a lead with the given fields (API names); returns its id.
    pub fn add_lead(&self, fields: Map<String, Value>) -> i64 {
        self.shared.lock().create_lead(fields)
    }

    /// Adds a lead with an email and names; returns its id.
    pub fn add_lead_with_email(&self, email: &str, first: &str, last: &str) -> i64 {
        let mut m = Map::new();
        m.insert("email".into(), Value::from(email));
        m.insert("firstName".into(), Value::from(first));
        m.insert("lastName".into(), Value::from(last));
        self.add_lead(m)
    }

    /// Adds a static list (optionally in a program); returns its id.
    pub fn add_list(&self, name: &str, program_id: Option<i32>) -> i32 {
        let mut st = self.shared.lock();
        let id = st.next_list_id;
        st.next_list_id += 1;
        st.lists.insert(
            id,
            StaticList {
                id,
                name: name.to_owned(),
                program_id,
                members: Default::default(),
            },
        );
        id
    }

    // ----- reading state -----

    /// All programs, by id.
    pub fn programs(&self) -> Vec<Program> {
        self.shared.lock().programs.values().cloned().collect()
    }

    /// One program.
    pub fn program(&self, id: i32) -> Option<Program> {
        self.shared.lock().programs.get(&id).cloned()
    }

    /// A program by exact name.
    pub fn program_by_name(&self, name: &str) -> Option<Program> {
        self.shared.lock().program_by_name(name).cloned()
    }

    /// All folders.
    pub fn folders(&self) -> Vec<Folder> {
        self.shared.lock().folders.values().cloned().collect()
    }

    /// All smart campaigns.
    pub fn campaigns(&self) -> Vec<SmartCampaign> {
        self.shared.lock().campaigns.values().cloned().collect()
    }

    /// All leads.
    pub fn leads(&self) -> Vec<Lead> {
        self.shared.lock().leads.values().cloned().collect()
    }

    /// One lead.
    pub fn lead(&self, id: i64) -> Option<Lead> {
        self.shared.lock().leads.get(&id).cloned()
    }

    /// Members of a static list (`None` if the list does not exist).
    pub fn list_members(&self, list_id: i32) -> Option<Vec<i64>> {
        self.shared
            .lock()
            .lists
            .get(&list_id)
            .map(|l| l.members.iter().copied().collect())
    }

    /// All static lists.
    pub fn lists(&self) -> Vec<StaticList> {
        self.shared.lock().lists.values().cloned().collect()
    }

    /// Campaign schedules recorded (REST and SOAP), in call order.
    pub fn schedules(&self) -> Vec<ScheduleRecord> {
        self.shared.lock().schedules.clone()
    }

    /// Campaign triggers recorded (REST trigger and SOAP requestCampaign), in call order.
    pub fn triggers(&self) -> Vec<TriggerRecord> {
        self.shared.lock().triggers.clone()
    }

    /// All activities.
    pub fn activities(&self) -> Vec<Activity> {
        self.shared.lock().activities.clone()
    }

    /// Custom objects of a type (SOAP custom objects).
    pub fn custom_objects(&self, obj_type: &str) -> Vec<CustomObject> {
        self.shared
            .lock()
            .custom_objects
            .get(obj_type)
            .cloned()
            .unwrap_or_default()
    }

    /// REST calls executed today (counted against the daily quota).
    pub fn rest_quota_used(&self) -> u64 {
        let st = self.shared.lock();
        st.rest_counter.used_today(st.now())
    }
}

fn seed_program(st: &mut state::State, p: NewProgram) -> Result<i32, SeedError> {
    if st.program_names.contains_key(&p.name) {
        return Err(SeedError::DuplicateName(p.name));
    }
    if !st
        .folders
        .get(&p.folder_id)
        .is_some_and(|f| f.holds_programs)
    {
        return Err(SeedError::BadFolder(p.folder_id));
    }
    let internal = state::internal_program_type(&p.program_type);
    let channel_ok = st
        .channels
        .iter()
        .any(|c| c.name == p.channel && Some(c.applicable_program_type.as_str()) == internal);
    if !channel_ok {
        return Err(SeedError::BadTypeOrChannel {
            program_type: p.program_type,
            channel: p.channel,
        });
    }
    let now = st.now();
    let id = st.next_program_id;
    st.next_program_id += 1;
    let status = match p.program_type.as_str() {
        "Engagement" => "off",
        "Email" => "unlocked",
        _ => "",
    };
    st.insert_program(Program {
        id,
        name: p.name,
        description: p.description,
        program_type: p.program_type,
        channel: p.channel,
        folder: FolderRef {
            id: p.folder_id,
            kind: FolderKind::Folder,
        },
        status: status.to_owned(),
        workspace: "Default".into(),
        tags: p.tags,
        costs: Vec::new(),
        start_date: None,
        end_date: None,
        tokens: Default::default(),
        created_at: now,
        updated_at: now,
    });
    Ok(id)
}

impl state::State {
    pub(crate) fn reset_stats(&mut self) {
        self.stats = Stats::default();
        self.rest_counter.stats = ApiStats::default();
        self.soap_counter.stats = ApiStats::default();
    }

    /// Resets the counters and the rate limits' sliding windows.
    pub(crate) fn reset_stats_and_windows(&mut self) {
        self.reset_stats();
        self.rest_counter.reset_windows();
        self.soap_counter.reset_windows();
    }

    pub(crate) fn stats_snapshot(&self) -> Stats {
        let mut s = self.stats.clone();
        s.rest = self.rest_counter.stats.clone();
        s.soap = self.soap_counter.stats.clone();
        s
    }
}
