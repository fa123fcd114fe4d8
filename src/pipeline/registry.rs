//! The registered stages: which exist, in which order, and which a request needs.
//!
//! [`Registry::default_stages`] is the one place that lists the pipeline's stages, one
//! line each. Registration order is run order, and it must respect the declarations:
//! a stage may only require layers that an earlier stage assigns, and no two stages
//! assign the same layer. [`Registry::plan`] then picks, for the layers a request asks
//! for, the stages that assign them and (transitively) what those stages require — so
//! no stage is switched on or off by hand anywhere else.

use std::collections::BTreeMap;

use super::layer::{Layer, LayerSet};
use super::output::Version;
use super::stage::Stage;
use super::{clean, entities, language, quotes, segment, ModelError};

/// A stage sequence that breaks the contract (found when the pipeline is built, or when
/// a request asks for a layer no stage assigns).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("stages {first} and {second} both assign the {layer} layer")]
    AssignedTwice {
        layer: Layer,
        first: &'static str,
        second: &'static str,
    },
    #[error(
        "stage {stage} requires the {layer} layer, which no stage registered before it assigns"
    )]
    RequiredBeforeAssigned { stage: &'static str, layer: Layer },
    #[error("no registered stage assigns the {0} layer")]
    Unassigned(Layer),
}

/// The stages of a pipeline, in run order.
#[derive(Default)]
pub struct Registry {
    stages: Vec<Box<dyn Stage>>,
    /// What each registered stage assigns and requires, as sets.
    assigns: Vec<LayerSet>,
    requires: Vec<LayerSet>,
    /// Every layer some stage assigns.
    assigned: LayerSet,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.stages.iter().map(|s| s.name()))
            .finish()
    }
}

impl Registry {
    /// An empty registry (tests build their own sequences from it).
    pub fn new() -> Self {
        Self::default()
    }

    /// The pipeline's stages, loaded from the models embedded in the binary.
    ///
    /// To add a stage: its folder under `src/pipeline/`, an `impl Stage`, and one line
    /// here, after the stages that assign what it requires.
    pub fn default_stages() -> Result<Self, ModelError> {
        let mut r = Registry::new();
        r.register(clean::Cleaner::new())?;
        r.register(language::LanguageStage::new())?;
        r.register(segment::Segmenter::new())?;
        r.register(entities::EntityStage::new()?)?;
        r.register(quotes::QuoteStage::new())?;
        Ok(r)
    }

    /// Appends a stage to the run order.
    pub fn register(&mut self, stage: impl Stage + 'static) -> Result<&mut Self, RegistryError> {
        let assigns = LayerSet::of(stage.assigns());
        let requires = LayerSet::of(stage.requires());
        if let Some(layer) = requires.iter().find(|&l| !self.assigned.contains(l)) {
            return Err(RegistryError::RequiredBeforeAssigned {
                stage: stage.name(),
                layer,
            });
        }
        if let Some(layer) = assigns.iter().find(|&l| self.assigned.contains(l)) {
            let first = self.assigner(layer).map_or("?", |s| s.name());
            return Err(RegistryError::AssignedTwice {
                layer,
                first,
                second: stage.name(),
            });
        }
        self.assigned = self.assigned.union(assigns);
        self.assigns.push(assigns);
        self.requires.push(requires);
        self.stages.push(Box::new(stage));
        Ok(self)
    }

    /// The registered stages, in run order.
    pub fn stages(&self) -> impl Iterator<Item = &dyn Stage> {
        self.stages.iter().map(|s| s.as_ref())
    }

    /// The stage that assigns `layer`.
    pub fn assigner(&self, layer: Layer) -> Option<&dyn Stage> {
        self.assigns
            .iter()
            .position(|a| a.contains(layer))
            .map(|i| self.stages[i].as_ref())
    }

    /// The stages to run, in order, for an answer that reports `requested`: the stages
    /// that assign a needed layer, where the needed layers are the requested ones and
    /// everything a needed stage requires.
    pub fn plan(&self, requested: LayerSet) -> Result<Vec<&dyn Stage>, RegistryError> {
        if let Some(layer) = requested.iter().find(|&l| !self.assigned.contains(l)) {
            return Err(RegistryError::Unassigned(layer));
        }
        // Registration order puts every stage after the stages it depends on, so one
        // walk from the last stage back to the first closes the set.
        let mut needed = requested;
        let mut run = vec![false; self.stages.len()];
        for i in (0..self.stages.len()).rev() {
            if self.assigns[i].intersects(needed) {
                run[i] = true;
                needed = needed.union(self.requires[i]);
            }
        }
        Ok(self
            .stages
            .iter()
            .zip(run)
            .filter(|(_, r)| *r)
            .map(|(s, _)| s.as_ref())
            .collect())
    }

    /// The service's version and each stage's model version, as every answer reports.
    pub fn version(&self) -> Version {
        let models: BTreeMap<String, String> = self
            .stages()
            .filter_map(|s| Some((s.name().to_string(), s.version()?)))
            .collect();
        Version {
            service: env!("CARGO_PKG_VERSION").to_string(),
            models,
        }
    }
}
