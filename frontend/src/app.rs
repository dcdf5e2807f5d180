//! The router and the shell every page sits in.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    components::{
        alert::GlobalAlert,
        layout::{Footer, Header, Navigation},
    },
    pages::{
        audit::AuditPage, callout::CalloutPage, dashboard::Dashboard, dialex::DialExPage, do_not_call::DoNotCallPage, job::JobPage,
        jobs::JobsPage, ms_open_id::MsOpenIdPage, not_found::NotFound, room_call::RoomCallPage, status::StatusPage,
    },
    state::{alert::provide_alerts, drafts::provide_drafts, locale::provide_locale, session::provide_session},
};

#[component]
pub fn App() -> impl IntoView {
    provide_locale();
    provide_alerts();
    provide_session();
    provide_drafts();
    view! {
        <Router>
            <div class="shell">
                <Header />
                <Navigation />
                <main id="main" class="content">
                    <GlobalAlert />
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Dashboard />
                        <Route path=path!("/callout") view=CalloutPage />
                        <Route path=path!("/jobs") view=JobsPage />
                        <Route path=path!("/callout/jobs/:id") view=JobPage />
                        <Route path=path!("/status") view=StatusPage />
                        <Route path=path!("/ms-open-id") view=MsOpenIdPage />
                        <Route path=path!("/room-call") view=RoomCallPage />
                        <Route path=path!("/dialex") view=DialExPage />
                        <Route path=path!("/do-not-call") view=DoNotCallPage />
                        <Route path=path!("/audit") view=AuditPage />
                    </Routes>
                </main>
                <Footer />
            </div>
        </Router>
    }
}
