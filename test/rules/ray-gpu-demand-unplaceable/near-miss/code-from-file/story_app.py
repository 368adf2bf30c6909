from ray import serve
from vllm import LLM

@serve.deployment(num_replicas=1, ray_actor_options={"num_gpus": 1})
class StoryDeployment:
    def __init__(self):
        self.llm = LLM(model="acme/tiny-story-1b")

deployment = StoryDeployment.bind()
