//! The router and the shell every page sits in.

use callout_shared::health::HealthResponse;
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    api::{self, ApiError},
    components::layout::{Footer, Header, Navigation},
    pages::{dashboard::Dashboard, placeholder::Placeholder},
};

/// The backend's health, loaded once and shared by the header, footer and dashboard.
#[derive(Clone, Copy)]
pub struct Health(pub LocalResource<Result<HealthResponse, ApiError>>);

#[component]
pub fn App() -> impl IntoView {
    provide_context(Health(LocalResource::new(api::health)));
    view! {
        <Router>
            <div class="shell">
                <Header />
                <Navigation />
                <main id="main" class="content">
                    <Routes fallback=|| view! { <Placeholder title="Page not found" /> }>
                        <Route path=path!("/") view=Dashboard />
                        <Route path=path!("/callout") view=|| view! { <Placeholder title="Meeting callout" /> } />
                        <Route path=path!("/status") view=|| view! { <Placeholder title="Callout status" /> } />
                        <Route path=path!("/ms-open-id") view=|| view! { <Placeholder title="ms_open_id lookup" /> } />
                        <Route path=path!("/room-call") view=|| view! { <Placeholder title="Room call" /> } />
                        <Route path=path!("/dialex") view=|| view! { <Placeholder title="Contact Center DialEx" /> } />
                    </Routes>
                </main>
                <Footer />
            </div>
        </Router>
    }
}
