variable "cluster" {
  type    = string
  default = "atlas"
}

resource "google_container_cluster" "main" {
  name                     = var.cluster
  location                 = "us-central1"
  remove_default_node_pool = true
  initial_node_count       = 1
}

resource "google_container_node_pool" "system" {
  name     = format("%s-system", var.cluster)
  cluster  = google_container_cluster.main.name
  location = "us-central1"

  node_config {
    machine_type = "e2-standard-4"
  }
}

resource "google_container_node_pool" "spot_training" {
  name     = "${var.cluster}-spt-trn"
  cluster  = "atlas"
  location = "us-central1"

  autoscaling {
    min_node_count = 0
    max_node_count = 8
  }

  node_config {
    machine_type = "g2-standard-24"
    spot         = true
    labels = {
      workload = "training"
    }
  }
}
