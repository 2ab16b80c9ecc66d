import { Module } from '@nestjs/common';
import { WorkflowRunner } from './runner.js';

@Module({ providers: [WorkflowRunner], exports: [WorkflowRunner] })
export class WorkflowModule {}
